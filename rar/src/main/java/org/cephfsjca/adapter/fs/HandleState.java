package org.cephfsjca.adapter.fs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;

/**
 * The state of one connection handle that its owner and the leak detector hold: closed flag, tracked resources,
 * current session. It never references the handle ({@link MountedConnection}) itself, so a handle the application
 * dropped without closing can be garbage collected while its state is still released.
 */
public final class HandleState {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(HandleState.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ResourceTracker tracker = new ResourceTracker();
    private volatile boolean closed; // a field, not an AtomicBoolean: one object fewer per checkout
    volatile SessionBinding session;
    /** The leak detector's (phantom) reference to the handle: held here so that it lives as long as this state. */
    @SuppressWarnings("unused")
    private Reference<MountedConnection> watch;

    HandleState() {
    }

    /** Marks the handle closed; true for the one caller that closed it (so a handle is closed at most once). */
    boolean markClosed() {
        return CLOSED.compareAndSet(this, false, true);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Keeps the leak detector's reference to the handle. The owner holds this state while the handle is checked out,
     * so the reference is held exactly then: a closed handle's state is dropped with it, and its reference never
     * costs the garbage collector anything.
     */
    public void watch(Reference<MountedConnection> reference) {
        watch = reference;
    }

    /** See {@link MountedConnection#releaseResources()}. */
    public int releaseResources() {
        return tracker.releaseAll(false);
    }

    /** See {@link MountedConnection#invalidate()}. */
    public void invalidate() {
        closed = true;
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
