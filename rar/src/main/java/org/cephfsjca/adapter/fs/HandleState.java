package org.cephfsjca.adapter.fs;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of one connection handle that its owner and the leak detector hold: closed flag, tracked resources,
 * current session. It never references the handle ({@link MountedConnection}) itself, so a handle the application
 * dropped without closing can be garbage collected while its state is still released.
 */
public final class HandleState {

    final ResourceTracker tracker = new ResourceTracker();
    private final AtomicBoolean closed = new AtomicBoolean();
    volatile SessionBinding session;

    HandleState() {
    }

    /** Marks the handle closed; true for the one caller that closed it (so a handle is closed at most once). */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** See {@link MountedConnection#releaseResources()}. */
    public int releaseResources() {
        return tracker.releaseAll(false);
    }

    /** See {@link MountedConnection#invalidate()}. */
    public void invalidate() {
        closed.set(true);
        tracker.releaseAll(true);
    }

    /** Resources open through the handle now. */
    public int openResourceCount() {
        return tracker.size();
    }

    /**
     * For a handle that became unreachable without being closed: releases what it left open, then tells the
     * current session's listener ({@link MountedConnection.Listener#connectionLeaked}). Does nothing if the handle
     * was closed or invalidated before (by the application, the container's cleanup, or destroy).
     *
     * @param origin where the handle was obtained, or null when not recorded
     */
    public void reclaimLeaked(Throwable origin) {
        if (!markClosed()) {
            return;
        }
        int released = tracker.releaseAll(true);
        MountedConnection.Listener l = session.listener();
        if (l != null) {
            l.connectionLeaked(this, released, origin);
        }
    }
}
