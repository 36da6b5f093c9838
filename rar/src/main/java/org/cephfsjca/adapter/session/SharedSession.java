package org.cephfsjca.adapter.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.cephfsjca.libcephfs.CephMount;

/**
 * One libcephfs client (one MDS session, uuid of slot {@code slot}) that many pooled connections of one identity
 * share. A libcephfs mount is thread-safe, and flock owner ids keep the connections' locks apart, so sharing costs
 * nothing in correctness; it is what keeps the connections of one server from stalling each other: two clients of one
 * file wait for the MDS to move its caps between them (up to an MDS tick, ~5 s, when the one that wrote it holds it
 * open), two connections on one client never do.
 *
 * <p>Counts its users. Once broken (evicted, blocklisted, a fatal errno) it takes no new users, and the last user to
 * leave closes it; a live session stays open with no users, for the next connection.
 */
public final class SharedSession {

    private final int slot;
    private final String uuid;
    private final Identity identity;
    private final CephMount mount;
    /** Users, plus one while it is live; -1 once closed. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean broken;
    /** System.nanoTime of the last health probe that succeeded; 0: none yet. */
    private volatile long probedOkAt;
    private final Consumer<SharedSession> onClosed;

    /** @param onClosed runs once, after libcephfs has released the mount (frees the slot) */
    public SharedSession(int slot, String uuid, Identity identity, CephMount mount, Consumer<SharedSession> onClosed) {
        this.slot = slot;
        this.uuid = uuid;
        this.identity = identity;
        this.mount = mount;
        this.onClosed = onClosed;
    }

    /** Adds a user unless the session is broken or closed. */
    public boolean tryRetain() {
        for (;;) {
            int r = refs.get();
            if (r <= 0 || broken) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** A user leaves; the last one out of a broken session closes it. */
    public void release() {
        drop();
    }

    /**
     * Marks the session unusable (its client was evicted, blocklisted or failed fatally) and gives up the live
     * reference, so it closes when its last user leaves. True for the one caller that broke it.
     */
    public boolean markBroken() {
        synchronized (this) {
            if (broken) {
                return false;
            }
            broken = true;
        }
        drop();
        return true;
    }

    /** Closes a live session (adapter stop): unmounts now; users' later calls fail as on a closed mount. */
    public void closeNow() {
        synchronized (this) {
            if (!broken) {
                broken = true;
            }
        }
        if (refs.getAndSet(-1) >= 0) {
            closeMount();
        }
    }

    private void drop() {
        for (;;) {
            int r = refs.get();
            if (r <= 0) {
                return; // closed already
            }
            int next = r == 1 ? -1 : r - 1;
            if (refs.compareAndSet(r, next)) {
                if (next == -1) {
                    closeMount();
                }
                return;
            }
        }
    }

    private void closeMount() {
        mount.whenReleased(() -> onClosed.accept(this));
        mount.close();
    }

    public boolean isBroken() {
        return broken;
    }

    /** Live and mounted: may take users. */
    public boolean isUsable() {
        return !broken && mount.isMounted();
    }

    /**
     * True when a health probe of this client succeeded less than {@code withinNanos} before {@code now}: the pool
     * validates on every get (IronJacamar's validate-on-match), and one probe answers for all of them meanwhile.
     */
    public boolean probedOkWithin(long withinNanos, long now) {
        long at = probedOkAt;
        return at != 0 && now - at < withinNanos;
    }

    /** Records a health probe that succeeded at {@code now} (System.nanoTime). */
    public void probedOk(long now) {
        probedOkAt = now == 0 ? 1 : now;
    }

    /** Connections using it now. */
    public int users() {
        int r = refs.get();
        return r <= 0 ? 0 : broken ? r : r - 1;
    }

    public int slot() {
        return slot;
    }

    public String uuid() {
        return uuid;
    }

    public Identity identity() {
        return identity;
    }

    public CephMount mount() {
        return mount;
    }

    @Override
    public String toString() {
        return "SharedSession[slot " + slot + ", uuid " + uuid + ", " + identity + ", " + users() + " user(s)"
                + (broken ? ", broken" : "") + "]";
    }
}
