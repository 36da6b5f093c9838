package org.cephfsjca.adapter.fencing;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.recovery.NodeIdConflictException;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.api.RecoveryReport;

/**
 * What this node does when it finds that its sessions were reset under it: it was paused (SIGSTOP, a very long
 * stall) or cut off for longer than its peers' takeover bound, one of them proved it dead and took it over, and Ceph
 * blocklisted its clients. Its lease heartbeat is the first to notice (the fsync of a blocklisted client fails), and
 * then, in this order:
 * <ol>
 * <li>the {@link LeaseGate} is closed: every call on the node's sessions fails at once with
 *     {@link org.cephfsjca.api.NodeFencedException} (ESHUTDOWN), and no connection is handed out;</li>
 * <li>one SEVERE log line says so;</li>
 * <li>the node's sessions are discarded (marked fenced, out of the pool, unmounted);</li>
 * <li>it rejoins as a start would: it proves again that no live server holds its node id (the lease probe), resets
 *     whatever of its uuids is left, holds a new lease, and only then opens the gate. A live owner of the node id found
 *     there (a replacement started under the same name meanwhile) keeps this node fenced for good: there are never
 *     two live owners of one node id.</li>
 * </ol>
 * Retries every {@code retryMillis} while the rejoin fails (the cluster may be unreachable).
 */
public final class NodeFencing implements OwnerLease.Renewals {

    private static final Logger LOG = Logger.getLogger(NodeFencing.class.getName());

    /** What the node lets this class do to it. */
    public interface Node {
        /** Marks every session fenced with {@code reason}, takes them out of service and closes them. */
        void discardSessions(String reason);

        /** Proves the node id free, resets what is left, holds a new lease; returns the report. */
        RecoveryReport rejoin(String fencedBecause) throws IOException;
    }

    /** Where the node stands. */
    public enum State { SERVING, FENCED, CONFLICT, STOPPED }

    private final String nodeId;
    private final LeaseGate gate;
    private final long retryMillis;
    private volatile Node node;
    private volatile State state = State.SERVING;
    private volatile String lastFencing;
    private volatile ScheduledExecutorService rejoiner;
    private final java.util.concurrent.atomic.AtomicLong timesFenced = new java.util.concurrent.atomic.AtomicLong();

    public NodeFencing(String nodeId, LeaseGate gate, long retryMillis) {
        this.nodeId = nodeId;
        this.gate = gate;
        this.retryMillis = retryMillis;
    }

    /** Set once the node exists (the lease that reports to this is created before it). */
    public void attach(Node n) {
        node = n;
    }

    @Override
    public void renewed(long startedAt) {
        gate.renewed(startedAt);
    }

    @Override
    public void lost(Exception cause) {
        fence("its lease session was evicted (" + cause.getMessage() + "): peers (or a server with the same node id) "
                + "reset this node's sessions, most likely after it was paused or cut off longer than their takeover "
                + "bound");
    }

    /** Fences this node (see the class comment); idempotent while fenced. */
    public void fence(String reason) {
        Node n = node;
        synchronized (this) {
            if (state != State.SERVING || n == null) {
                return;
            }
            state = State.FENCED;
            lastFencing = Instant.now() + ": " + reason;
            timesFenced.incrementAndGet();
        }
        gate.fence(reason);
        LOG.severe("cephfs-jca: node " + nodeId + " was FENCED: " + reason + ". Its calls fail with "
                + "NodeFencedException (ESHUTDOWN), its sessions are discarded, and it rejoins on fresh sessions once "
                + "it has proven that no live server holds its node id");
        try {
            n.discardSessions(reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: node " + nodeId + ": discarding its fenced sessions failed", e);
        }
        ScheduledExecutorService r = Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "cephfs-jca-rejoin-" + nodeId);
            th.setDaemon(true);
            return th;
        });
        rejoiner = r;
        r.execute(() -> rejoin(n, reason));
    }

    private void rejoin(Node n, String reason) {
        if (state != State.FENCED) {
            return;
        }
        try {
            RecoveryReport report = n.rejoin(reason);
            synchronized (this) {
                if (state != State.FENCED) {
                    return;
                }
                state = State.SERVING;
            }
            gate.reopen();
            LOG.warning("cephfs-jca: node " + nodeId + " rejoined after being fenced and serves again on fresh "
                    + "sessions: " + report.summary() + (report.note() == null ? "" : " (" + report.note() + ")"));
            shutdownRejoiner();
        } catch (NodeIdConflictException e) {
            state = State.CONFLICT;
            LOG.severe("cephfs-jca: node " + nodeId + " stays fenced and will not serve again: " + e.getMessage());
            shutdownRejoiner();
        } catch (IOException | RuntimeException e) {
            LOG.warning("cephfs-jca: node " + nodeId + " could not rejoin yet (" + e.getMessage() + "); next try in "
                    + retryMillis + " ms");
            ScheduledExecutorService r = rejoiner;
            if (r != null && !r.isShutdown()) {
                r.schedule(() -> rejoin(n, reason), retryMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void shutdownRejoiner() {
        ScheduledExecutorService r = rejoiner;
        if (r != null) {
            r.shutdown();
        }
    }

    public State state() {
        return state;
    }

    /** Times this node was fenced since it started (the statistics). */
    public long timesFenced() {
        return timesFenced.get();
    }

    /** When and why this node was last fenced, or null if never since it started. */
    public String lastFencing() {
        return lastFencing;
    }

    /** Adapter stop: no more rejoin attempts (one in progress finishes on its own thread). */
    public void close() {
        state = State.STOPPED;
        ScheduledExecutorService r = rejoiner;
        if (r != null) {
            r.shutdownNow();
            try {
                r.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
