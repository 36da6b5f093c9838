package org.cephfsjca.adapter.stats;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.cephfsjca.api.RecoveryReport;

/**
 * The resource adapter's statistics ({@code resource-adapter=X/statistics=extended} in WildFly): the node's last
 * recovery, takeovers, fencing and lease. The names and their meaning are listed in docs/wildfly.md.
 */
public final class NodeStatistics {

    /** What the text statistics read while the adapter is not started. */
    public static final String NOT_STARTED = "not-started";

    private NodeStatistics() {
    }

    /** @param node the started node, or null while the adapter is not started */
    public static StatisticsSet create(Supplier<NodeView> node) {
        return new StatisticsSet(List.of(
                Statistic.gaugeInt("RecoveryFinished", "1 once the start-time recovery (reset of the previous "
                        + "incarnation's sessions) has finished and the adapter serves connections, else 0",
                        () -> recovery(node, r -> 1, 0)),
                Statistic.text("LastRecoveryMode", "Mode of the last recovery that ran: RESET, NONE or RECLAIM "
                        + "(after any fallback); empty before the first", () -> recovery(node, r -> r.mode().name(), "")),
                Statistic.gaugeInt("LastRecoverySlotsChecked", "Slot uuids the last recovery checked",
                        () -> recovery(node, RecoveryReport::slotsChecked, 0)),
                Statistic.gaugeInt("LastRecoverySessionsReset", "Sessions of a previous incarnation the last recovery "
                        + "reset (their locks and caps were released)", () -> recovery(node, RecoveryReport::sessionsReset, 0)),
                Statistic.gaugeInt("LastRecoveryNotFound", "Slot uuids the last recovery found no session for",
                        () -> recovery(node, RecoveryReport::notFound, 0)),
                Statistic.gaugeInt("LastRecoveryFailed", "Slot uuids the last recovery could not reset",
                        () -> recovery(node, RecoveryReport::failed, 0)),
                Statistic.gaugeLong("LastRecoveryMillis", "Wall time of the last recovery, in milliseconds",
                        () -> recovery(node, RecoveryReport::millis, 0L)),
                Statistic.gaugeLong("LastRecoveryStartedAt", "When the last recovery began, in milliseconds since "
                        + "1970-01-01T00:00Z; 0 before the first", () -> recovery(node, r -> r.startedAt().toEpochMilli(), 0L)),
                Statistic.counter("TakeoversDone", "Dead peers this node took over (reset their sessions) since it "
                        + "started", () -> value(node, NodeView::takeoversDoneCount, 0L)),
                Statistic.counter("TakeoversSuffered", "Takeovers of this node it knows of since it started: its "
                        + "start found the previous incarnation taken over by a peer (1), plus each time it was "
                        + "fenced since", () -> value(node, NodeView::takeoversSuffered, 0L)),
                Statistic.counter("TimesFenced", "Times this node was fenced since it started (its sessions were "
                        + "reset under it, by peers or by a server with the same node id)",
                        () -> value(node, NodeView::timesFenced, 0L)),
                Statistic.gaugeInt("Fenced", "1 while the node does not serve calls because it is fenced, "
                        + "self-fenced (its lease heartbeat is late) or in conflict over its node id; else 0",
                        () -> value(node, v -> isFenced(v.servingState()) ? 1 : 0, 0)),
                Statistic.text("ServingState", "serving, self-fenced, fenced, conflict or stopped ("
                        + NOT_STARTED + " before the adapter started)", () -> value(node, NodeView::servingState, NOT_STARTED)),
                Statistic.text("LeaseState", "held, stale (heartbeat later than the self-fencing bound), lost "
                        + "(the lease session was evicted), off (leaseIntervalMillis 0) or released (stopped)",
                        () -> value(node, NodeView::leaseState, NOT_STARTED)),
                Statistic.gaugeInt("LeaseHeld", "1 while the node lease is held and its heartbeat is in time, else 0",
                        () -> value(node, v -> "held".equals(v.leaseState()) ? 1 : 0, 0)),
                Statistic.gaugeLong("LeaseAgeMillis", "Milliseconds since the node's lease heartbeat last reached "
                        + "the OSDs; -1 without a lease", () -> value(node, NodeView::leaseAgeMillis, -1L))));
    }

    /** True for the serving states in which the node refuses calls. */
    public static boolean isFenced(String servingState) {
        return "fenced".equals(servingState) || "self-fenced".equals(servingState)
                || "conflict".equals(servingState);
    }

    private static <T> T recovery(Supplier<NodeView> node, Function<RecoveryReport, T> f, T none) {
        NodeView v = node.get();
        RecoveryReport r = v == null ? null : v.lastRecovery();
        return r == null ? none : f.apply(r);
    }

    static <T> T value(Supplier<NodeView> node, Function<NodeView, T> f, T none) {
        NodeView v = node.get();
        return v == null ? none : f.apply(v);
    }
}
