package org.cephfsjca.adapter;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import org.cephfsjca.adapter.fault.FatalErrors;
import org.cephfsjca.adapter.fault.SessionLostException;
import org.cephfsjca.adapter.fs.HandleState;
import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SharedSession;
import org.cephfsjca.libcephfs.CephMount;

/**
 * One pooled CephFS connection, on its identity's {@link SharedSession} (a mounted libcephfs client in session slot
 * {@code slot}, with uuid {@code <prefix>-<nodeId>-<slot>}, that the other connections of that identity share).
 * Hands out {@link MountedConnection} handles; when the application closes one it tells the pool
 * ({@code CONNECTION_CLOSED}); when a call shows the session is gone (evicted, blocklisted) it retires the shared
 * session and reports {@code CONNECTION_ERROR_OCCURRED} so the pool replaces the connection.
 */
final class CephManagedConnection implements ManagedConnection, MountedConnection.Listener {

    private static final Logger LOG = Logger.getLogger(CephManagedConnection.class.getName());
    /**
     * How long a successful health probe of a session answers {@link #validate()} for every connection on it. A
     * session lost within that window is still found: its next call fails fatally and reports the connection.
     */
    static final long PROBE_REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final CephManagedConnectionFactory factory;
    private final NodeSessions node;
    private final SharedSession session;
    private final Identity identity;
    private final long id;
    private final int slot;
    private final String uuid;
    private final CephMount mount;
    /** The states of the handles handed out, never the handles: those must stay collectable (LeakDetector). */
    private final Set<HandleState> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean broken;
    private volatile boolean destroyed;
    private volatile PrintWriter logWriter;

    CephManagedConnection(CephManagedConnectionFactory factory, NodeSessions node, SharedSession session, long id) {
        this.factory = factory;
        this.node = node;
        this.session = session;
        this.identity = session.identity();
        this.id = id;
        this.slot = session.slot();
        this.uuid = session.uuid();
        this.mount = session.mount();
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        checkUsable();
        node.checkServing(); // a pooled connection handed out again: not while the node is fenced or self-fenced
        Identity wanted = factory.identity(subject);
        if (!wanted.equals(identity)) {
            // re-authentication would need a new MDS session: the pool must match by identity instead
            throw new jakarta.resource.spi.SecurityException("session in slot " + slot + " belongs to " + identity
                    + ", not " + wanted + "; cephfs-jca does not re-authenticate sessions");
        }
        MountedConnection handle = new MountedConnection(mount, this);
        handles.add(handle.state());
        node.leaks().watch(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        checkUsable();
        if (!(connection instanceof MountedConnection)) {
            throw new ResourceException("not a cephfs-jca connection: " + connection);
        }
        MountedConnection handle = (MountedConnection) connection;
        MountedConnection.Listener previous = handle.owner();
        try {
            handle.reassociate(mount, this);
        } catch (IllegalStateException e) {
            throw new jakarta.resource.spi.IllegalStateException("cannot associate a closed connection handle: "
                    + e.getMessage());
        }
        if (previous instanceof CephManagedConnection && previous != this) {
            // its cleanup()/destroy() must no longer touch a handle we own
            ((CephManagedConnection) previous).handles.remove(handle.state());
        }
        handles.add(handle.state());
    }

    /** Makes every handle of the previous user unusable and releases what it left open (files, locks). */
    @Override
    public void cleanup() {
        if (handles.isEmpty()) {
            return; // the common case: the application closed its handle
        }
        int leftOpen = 0;
        for (HandleState h : handles) {
            leftOpen += h.releaseResources();
            h.invalidate();
        }
        handles.clear();
        if (leftOpen > 0) {
            int n = leftOpen;
            LOG.warning(() -> "cephfs-jca: released " + n + " file(s)/lock(s) the application left open on slot "
                    + slot);
        }
    }

    /** Leaves the shared session (which is unmounted once broken and unused, or at adapter stop). Idempotent. */
    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (HandleState h : handles) {
            h.invalidate();
        }
        handles.clear();
        node.close(this, session);
    }

    void destroyQuietly() {
        try {
            destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: destroying session of slot " + slot + " failed", e);
        }
    }

    // ------------------------------------------------------------------ MountedConnection.Listener

    @Override
    public void connectionClosed(MountedConnection handle) {
        handles.remove(handle.state());
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    /** A handle was dropped unclosed: count it, say so, and give the session back as if it had been closed. */
    @Override
    public void connectionLeaked(HandleState handle, int released, Throwable origin) {
        boolean mine = handles.remove(handle);
        long total = node.leaks().recordLeak();
        LOG.log(Level.WARNING, "cephfs-jca: connection leak on node " + node.config().nodeId() + ", slot " + slot
                + " (uuid " + uuid + "): a connection handle was never closed and is no longer referenced; released "
                + released + " file(s)/lock(s) it left open and returned its session to the pool (" + total
                + " leaked so far). Close connections with try-with-resources."
                + (origin == null ? " Set the adapter property leakStackTraces=true to log where leaked handles were"
                + " obtained." : ""), origin);
        if (!mine) {
            return; // moved to another session meanwhile: that one's pool owns it
        }
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED); // no handle: it is gone
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    @Override
    public void connectionFailed(MountedConnection handle, Exception cause) {
        if (broken) {
            return;
        }
        broken = true;
        if (node.retire(session)) {
            LOG.warning(() -> "cephfs-jca: session in slot " + slot + " (uuid " + uuid + ") is unusable: "
                    + cause.getMessage() + "; the pool will replace the connections on it");
            LOG.log(Level.FINE, "cephfs-jca: the failure that condemned the session in slot " + slot, cause);
        }
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                SessionLostException.of(slot, uuid, cause));
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionErrorOccurred(event);
        }
    }

    // ------------------------------------------------------------------ health

    /** False when the session is known broken, destroyed, or its client was evicted or blocklisted. */
    boolean validate() {
        if (!isUsable()) {
            return false;
        }
        long now = System.nanoTime();
        if (session.probedOkWithin(PROBE_REUSE_NANOS, now)) {
            return true; // a get right after another: no native stat per get
        }
        try {
            // one probe answers for every connection on the session: most of them find it retired here
            // after an eviction the client is blocklisted and even a cached stat fails with ESHUTDOWN
            // (AT_STATX_FORCE_SYNC would be the obvious probe, but Ceph 16's ceph_statx refuses it with EINVAL)
            mount.stat("/");
            session.probedOk(now);
            return true;
        } catch (Exception e) {
            if (FatalErrors.isFatal(e)) {
                broken = true;
                if (node.retire(session)) {
                    LOG.warning(() -> "cephfs-jca: session in slot " + slot + " (uuid " + uuid + ") is unusable: "
                            + e.getMessage() + "; the pool will replace the connections on it");
                }
                return false;
            }
            return true; // a transient error does not condemn the session
        }
    }

    boolean isUsable() {
        return !broken && !destroyed && session.isUsable();
    }

    private void checkUsable() throws ResourceException {
        if (destroyed) {
            throw new jakarta.resource.spi.IllegalStateException("connection " + id + " on slot " + slot
                    + " was destroyed");
        }
        if (broken || session.isBroken()) {
            throw new jakarta.resource.spi.IllegalStateException("session in slot " + slot + " (uuid " + uuid
                    + ") is broken");
        }
    }

    // ------------------------------------------------------------------ plumbing

    CephManagedConnectionFactory factory() {
        return factory;
    }

    Identity identity() {
        return identity;
    }

    int slot() {
        return slot;
    }

    String uuid() {
        return uuid;
    }

    CephMount mount() {
        return mount;
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("CephFS has no transactions: cephfs-jca is a NoTransaction adapter");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("CephFS has no transactions: cephfs-jca is a NoTransaction adapter");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        // 0: the EIS sets no limit; connections share sessions, so sessionSlots does not bound them
        return new CephManagedConnectionMetaData(identity.user(), 0);
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "CephManagedConnection[" + id + ", slot " + slot + ", uuid " + uuid + ", " + identity
                + (broken ? ", broken" : "") + (destroyed ? ", destroyed" : "") + "]";
    }
}
