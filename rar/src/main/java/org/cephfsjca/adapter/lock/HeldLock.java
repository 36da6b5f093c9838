package org.cephfsjca.adapter.lock;

import java.util.concurrent.atomic.AtomicBoolean;

import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.adapter.session.SharedSession;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * A lock held outside the pool: an flock on its own descriptor, through a connection handle of its own (never
 * pooled) on the identity's shared session, which it keeps open while held. Closing unlocks, closes the handle and
 * lets go of the session. Idempotent.
 */
final class HeldLock implements CephLock {

    private final MountedConnection handle;
    private final CephLock lock;
    private final SharedSession session;
    private final HeldLocks owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldLock(MountedConnection handle, CephLock lock, SharedSession session, HeldLocks owner) {
        this.handle = handle;
        this.lock = lock;
        this.session = session;
        this.owner = owner;
    }

    @Override
    public String path() {
        return lock.path();
    }

    @Override
    public LockMode mode() {
        return lock.mode();
    }

    /** False once closed, or once its session was lost (evicted, blocklisted) or the adapter stopped. */
    @Override
    public boolean isValid() {
        return !closed.get() && lock.isValid() && !session.isBroken();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            lock.close();
            handle.close();
        } finally {
            session.release();
            owner.forget(this);
        }
    }

    @Override
    public String toString() {
        return "HeldLock[" + lock.path() + ", " + lock.mode() + ", slot " + session.slot()
                + (isValid() ? "" : ", released") + "]";
    }
}
