package org.cephfsjca.adapter;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAllocationException;

/**
 * A small pool for use outside a container (tests, benchmarks, Java SE applications), bounded by
 * {@code maxPoolSize} connections (which share their identity's CephFS session). A checkout first takes a permit
 * (one per connection in use; it waits up to the blocking timeout, outside any lock), then reuses an idle connection
 * (LIFO) or creates a new one outside the pool's lock (the first one of an identity mounts its session, which takes
 * up to ~1 s and must not block other threads' checkouts). A connection reporting an error is destroyed instead of
 * returned. Every connection checked out gives its permit back exactly once: when closed (or reclaimed as leaked),
 * or when it fails, whichever comes first.
 */
final class StandaloneConnectionManager implements ConnectionManager, ConnectionEventListener {

    private static final long serialVersionUID = 1L;

    private final transient Deque<CephManagedConnection> idle = new ArrayDeque<>();
    /** Sessions holding a permit; guarded by this. */
    private final transient Set<CephManagedConnection> checkedOut = Collections.newSetFromMap(new IdentityHashMap<>());
    private final transient Semaphore permits;
    private final int maxPoolSize;
    private final long timeoutMillis;
    private transient boolean closed;

    StandaloneConnectionManager(int maxPoolSize, long timeoutMillis) {
        this.maxPoolSize = maxPoolSize;
        this.timeoutMillis = timeoutMillis;
        this.permits = new Semaphore(maxPoolSize, true); // fair: no thread starves under load
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
            throws ResourceException {
        checkOpen();
        acquirePermit();
        CephManagedConnection mc = null;
        try {
            synchronized (this) {
                checkOpen();
                mc = idle.pollFirst();
            }
            if (mc != null && !mc.isUsable()) {
                mc.destroyQuietly();
                mc = null;
            }
            if (mc == null) {
                mc = (CephManagedConnection) mcf.createManagedConnection(null, info);
                mc.addConnectionEventListener(this);
            }
            synchronized (this) {
                checkedOut.add(mc);
            }
            return mc.getConnection(null, info);
        } catch (ResourceException | RuntimeException | Error e) {
            if (mc != null) {
                giveBack(mc, false);
            } else {
                permits.release();
            }
            throw e;
        }
    }

    private void acquirePermit() throws ResourceException {
        try {
            if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new ResourceAllocationException("no CephFS connection free within " + timeoutMillis
                        + " ms: all " + maxPoolSize + " connections of the pool are in use (maxPoolSize " + maxPoolSize
                        + ", poolBlockingTimeoutMillis " + timeoutMillis + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceAllocationException("interrupted while waiting for a CephFS connection");
        }
    }

    private synchronized void checkOpen() throws ResourceException {
        if (closed) {
            throw new ResourceException("connection factory is closed");
        }
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        CephManagedConnection mc = (CephManagedConnection) event.getSource();
        mc.cleanup();
        giveBack(mc, true);
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        giveBack((CephManagedConnection) event.getSource(), false);
    }

    /**
     * Returns a session to the idle list (when {@code reuse} and it is still usable) or destroys it, and releases
     * its permit if it held one. The destroy (an unmount: network) runs outside the lock.
     */
    private void giveBack(CephManagedConnection mc, boolean reuse) {
        boolean keep;
        boolean heldPermit;
        synchronized (this) {
            heldPermit = checkedOut.remove(mc);
            idle.remove(mc); // an idle session can report an error too
            keep = reuse && heldPermit && !closed && mc.isUsable() && idle.size() < maxPoolSize;
            if (keep) {
                idle.addFirst(mc);
            }
        }
        if (!keep) {
            mc.destroyQuietly();
        }
        if (heldPermit) {
            permits.release();
        }
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

    /** Sessions checked out now. */
    synchronized int inUseCount() {
        return checkedOut.size();
    }
}
