package org.cephfsjca.adapter.stats;

import org.cephfsjca.api.RecoveryReport;

/**
 * What a started adapter tells about its node, for the statistics. Every method is cheap and never blocks (no call
 * to the cluster).
 */
public interface NodeView {

    /** The report of the last recovery (the start's, or the last rejoin's after fencing); null before it finished. */
    RecoveryReport lastRecovery();

    /** Dead peers this node took over since it started. */
    long takeoversDoneCount();

    /**
     * Takeovers of this node that it knows of: 1 when its start found that a peer had taken the previous
     * incarnation over, plus each time it was fenced since (its sessions were reset under it).
     */
    long takeoversSuffered();

    /** Times this node was fenced since it started. */
    long timesFenced();

    /** {@code serving}, {@code self-fenced}, {@code fenced}, {@code conflict} or {@code stopped}. */
    String servingState();

    /**
     * {@code held} (the heartbeat reaches the OSDs), {@code stale} (it has not for longer than the self-fencing
     * bound), {@code lost} (the lease session was evicted: fenced), {@code off} (leaseIntervalMillis 0) or
     * {@code released} (stopped).
     */
    String leaseState();

    /** Milliseconds since the lease heartbeat last reached the OSDs; -1 without a lease. */
    long leaseAgeMillis();

    /** CephFS sessions open now (slots in use). */
    int sessionsOpen();

    /** The most sessions the node opens (sessionSlots). */
    int sessionSlots();

    /** Pooled connections open now, idle or in use. */
    int connections();

    /** Pooled connections created since the adapter started. */
    long connectionsCreated();

    /** Connection handles dropped without close() that the adapter found and reclaimed since it started. */
    long leakedHandlesReclaimed();

    /** Locks held outside the pool now (CephConnectionFactory.holdLock). */
    int locksHeld();
}
