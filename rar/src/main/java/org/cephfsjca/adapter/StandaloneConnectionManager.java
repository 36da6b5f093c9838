package org.cephfsjca.adapter;

import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 * (one per connection in use; it waits up to the blocking timeout, in arrival order), then reuses an idle connection
 * (LIFO) or creates a new one (the first one of an identity mounts its session, which takes up to ~1 s and must not
 * block other threads' checkouts). A connection reporting an error is destroyed instead of returned. Every
 * connection checked out gives its permit back exactly once: when closed (or reclaimed as leaked), or when it fails,
 * whichever comes first.
 *
 * <p>No lock: the idle list and the checked-out set are concurrent collections, so a thread preempted in the middle
 * of a checkout (a loaded machine) never holds up the others'. The pool never holds more than {@code maxPoolSize}
 * connections: a connection is idle or belongs to one permit holder (from its checkout until it is back in the idle
 * list, and only then is the permit released), and a holder makes a new one only when it found none idle.
 */
final class StandaloneConnectionManager implements ConnectionManager, ConnectionEventListener {

    private static final long serialVersionUID = 1L;

    private final transient Deque<CephManagedConnection> idle = new ConcurrentLinkedDeque<>();
    /** Connections holding a permit. */
    private final transient Set<CephManagedConnection> checkedOut = ConcurrentHashMap.newKeySet();
    private final transient Semaphore permits;
    private final int maxPoolSize;
    private final long timeoutMillis;
    private transient volatile boolean closed;

    StandaloneConnectionManager(int maxPoolSize, long timeoutMillis) {
        this.maxPoolSize = maxPoolSize;
        this.timeoutMillis = timeoutMillis;
        this.permits = new Semaphore(maxPoolSize, true); // fair: waiters are served, and time out, in arrival order
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
            throws ResourceException {
        checkOpen();
        acquirePermit();
        CephManagedConnection mc = null;
        try {
            checkOpen();
            mc = idle.pollFirst();
            if (mc != null) {
                checkedOut.add(mc);
                if (!mc.isUsable()) {
                    checkedOut.remove(mc); // the permit stays ours, for the connection made instead
                    mc.destroyQuietly();
                    mc = null;
                }
            }
            if (mc == null) {
                mc = (CephManagedConnection) mcf.createManagedConnection(null, info);
                mc.addConnectionEventListener(this);
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

    private void checkOpen() throws ResourceException {
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
     * Returns a connection to the idle list (when {@code reuse} and it is still usable) or destroys it (an unmount
     * once its session has no user left: network), then releases its permit if it held one.
     */
    private void giveBack(CephManagedConnection mc, boolean reuse) {
        boolean heldPermit = checkedOut.remove(mc);
        if (!heldPermit) {
            idle.remove(mc); // an idle connection can report an error too
        }
        boolean keep = reuse && heldPermit && !closed && mc.isUsable();
        if (keep) {
            idle.offerFirst(mc);
            // close() drains the idle list after setting closed: if it may have drained before our add, undo it
            // (whichever of us removes the connection destroys it)
            if (closed && idle.remove(mc)) {
                keep = false;
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

    /** Destroys every idle connection; connections in use are destroyed when returned. */
    void close() {
        closed = true;
        for (CephManagedConnection mc = idle.pollFirst(); mc != null; mc = idle.pollFirst()) {
            mc.destroyQuietly();
        }
    }

    int idleCount() {
        return idle.size();
    }

    /** Connections checked out now. */
    int inUseCount() {
        return checkedOut.size();
    }
}
