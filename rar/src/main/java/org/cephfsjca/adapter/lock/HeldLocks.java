package org.cephfsjca.adapter.lock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.cephfsjca.adapter.fs.HandleState;
import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.adapter.session.SharedSession;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * The locks a node holds outside its pool ({@code CephConnectionFactory.holdLock}): long-lived locks such as
 * document check-outs must not occupy pooled connections. Tracks them so that an adapter stop releases them all.
 */
public final class HeldLocks {

    private final Set<HeldLock> held = ConcurrentHashMap.newKeySet();
    private final Consumer<SharedSession> retire;

    /** @param retire takes a session out of service when a call through it shows it is lost */
    public HeldLocks(Consumer<SharedSession> retire) {
        this.retire = retire;
    }

    /**
     * Takes the lock on {@code session} (which the caller has retained: on success the lock owns that reference and
     * releases it when closed; on failure the caller still owns it).
     */
    public CephLock hold(SharedSession session, String path, LockMode mode, Duration timeout) throws IOException {
        MountedConnection handle = new MountedConnection(session.mount(), new RetireOnFailure(session, retire));
        CephLock lock;
        try {
            lock = handle.lock(path, mode, timeout);
        } catch (IOException | RuntimeException | Error e) {
            handle.close();
            throw e;
        }
        HeldLock h = new HeldLock(handle, lock, session, this);
        held.add(h);
        return h;
    }

    /** Locks held now. */
    public int count() {
        return held.size();
    }

    /** Releases every held lock (adapter stop). */
    public void closeAll() {
        for (HeldLock h : new ArrayList<>(held)) {
            h.close();
        }
    }

    void forget(HeldLock h) {
        held.remove(h);
    }

    /** A held lock's handle: a fatal error retires the shared session, as a pooled connection's would. */
    private static final class RetireOnFailure implements MountedConnection.Listener {
        private final SharedSession session;
        private final Consumer<SharedSession> retire;

        RetireOnFailure(SharedSession session, Consumer<SharedSession> retire) {
            this.session = session;
            this.retire = retire;
        }

        @Override
        public void connectionClosed(MountedConnection c) {
            // nothing pooled to give back
        }

        @Override
        public void connectionFailed(MountedConnection c, Exception cause) {
            retire.accept(session);
        }

        @Override
        public void connectionLeaked(HandleState handle, int released, Throwable origin) {
            // the HeldLock holds its handle until closed: never collected while held
        }
    }
}
