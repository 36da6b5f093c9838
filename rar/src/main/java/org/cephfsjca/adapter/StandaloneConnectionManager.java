package org.cephfsjca.adapter;

import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;

/**
 * A small pool for use outside a container (tests, benchmarks, Java SE applications): idle sessions are reused
 * LIFO; a new session is mounted only when none is idle, outside the pool's lock (a mount takes ~1 s and must not
 * block other threads' checkouts); a session reporting an error is destroyed instead of returned.
 */
final class StandaloneConnectionManager implements ConnectionManager, ConnectionEventListener {

    private static final long serialVersionUID = 1L;

    private final transient Deque<CephManagedConnection> idle = new ArrayDeque<>();
    private final int maxIdle;
    private transient boolean closed;

    StandaloneConnectionManager(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
            throws ResourceException {
        CephManagedConnection mc;
        synchronized (this) {
            if (closed) {
                throw new ResourceException("connection factory is closed");
            }
            mc = idle.pollFirst();
        }
        if (mc == null || !mc.isUsable()) {
            if (mc != null) {
                mc.destroyQuietly();
            }
            mc = (CephManagedConnection) mcf.createManagedConnection(null, info);
            mc.addConnectionEventListener(this);
        }
        return mc.getConnection(null, info);
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        CephManagedConnection mc = (CephManagedConnection) event.getSource();
        mc.cleanup();
        boolean keep;
        synchronized (this) {
            keep = !closed && mc.isUsable() && idle.size() < maxIdle;
            if (keep) {
                idle.addFirst(mc);
            }
        }
        if (!keep) {
            mc.destroyQuietly();
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        ManagedConnection mc = (ManagedConnection) event.getSource();
        synchronized (this) {
            idle.remove(mc);
        }
        ((CephManagedConnection) mc).destroyQuietly();
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
        // NoTransaction
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
        // NoTransaction
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
        // NoTransaction
    }

    /** Unmounts every idle session; sessions in use are unmounted when returned. */
    void close() {
        Deque<CephManagedConnection> toDestroy;
        synchronized (this) {
            closed = true;
            toDestroy = new ArrayDeque<>(idle);
            idle.clear();
        }
        toDestroy.forEach(CephManagedConnection::destroyQuietly);
    }

    synchronized int idleCount() {
        return idle.size();
    }
}
