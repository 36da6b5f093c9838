package org.cephfsjca.adapter.fs;

import org.cephfsjca.adapter.fault.FatalErrors;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

import org.cephfsjca.libcephfs.CephMount;

/**
 * The session a connection handle is bound to: its mount and the listener to tell when that session fails.
 * Resources keep the binding they were opened under, so a failure on an old stream after
 * {@link MountedConnection#reassociate} is reported to the owner of the session that failed, not the new one.
 */
final class SessionBinding {

    private static final System.Logger LOG = System.getLogger(SessionBinding.class.getName());
    private static final VarHandle FAILED;

    static {
        try {
            FAILED = MethodHandles.lookup().findVarHandle(SessionBinding.class, "failed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CephMount mount;
    private final MountedConnection.Listener listener;
    /** Weak: resources hold their binding, and must not keep a handle the application dropped reachable. */
    private final WeakReference<MountedConnection> connection;
    private volatile boolean failed; // a field, not an AtomicBoolean: one object fewer per checkout

    SessionBinding(CephMount mount, MountedConnection.Listener listener, MountedConnection connection) {
        this.mount = mount;
        this.listener = listener;
        this.connection = new WeakReference<>(connection);
    }

    /**
     * If {@code e} means the session is gone, tells the listener (the first time only). The caller rethrows
     * {@code e}; a listener that throws is recorded as suppressed on {@code e} rather than hiding it.
     */
    void reportIfFatal(Exception e) {
        if (!FatalErrors.isFatal(e) || !FAILED.compareAndSet(this, false, true)) {
            return;
        }
        MountedConnection handle = connection.get();
        LOG.log(System.Logger.Level.DEBUG, () -> "session of " + handle + " lost: " + e);
        if (listener != null) {
            try {
                listener.connectionFailed(handle, e);
            } catch (RuntimeException le) {
                e.addSuppressed(le);
            }
        }
    }

    /** True once a fatal failure was seen on this session. */
    boolean hasFailed() {
        return failed;
    }

    MountedConnection.Listener listener() {
        return listener;
    }
}
