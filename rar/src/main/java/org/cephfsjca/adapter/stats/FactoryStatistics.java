package org.cephfsjca.adapter.stats;

import java.util.List;
import java.util.function.Supplier;

/**
 * The managed connection factory's statistics ({@code connection-definitions=Y/statistics=extended} in WildFly):
 * sessions, connections, leaked handles and held locks of the factory's node (the adapter's sessions are per node:
 * two connection definitions on one adapter show the same values). Listed in docs/wildfly.md.
 */
public final class FactoryStatistics {

    private FactoryStatistics() {
    }

    /** @param node the started node of the factory's adapter, or null (no adapter yet, or not started) */
    public static StatisticsSet create(Supplier<NodeView> node) {
        return new StatisticsSet(List.of(
                Statistic.gaugeInt("SessionsOpen", "CephFS sessions open now (slots in use: one per cephx identity "
                        + "in use, plus evicted ones still draining)", () -> NodeStatistics.value(node, NodeView::sessionsOpen, 0)),
                Statistic.gaugeInt("SessionSlots", "The most CephFS sessions the node opens (sessionSlots)",
                        () -> NodeStatistics.value(node, NodeView::sessionSlots, 0)),
                Statistic.gaugeInt("Connections", "Pooled connections open now, idle or in use (they share the "
                        + "sessions)", () -> NodeStatistics.value(node, NodeView::connections, 0)),
                Statistic.counter("ConnectionsCreated", "Pooled connections created since the adapter started",
                        () -> NodeStatistics.value(node, NodeView::connectionsCreated, 0L)),
                Statistic.counter("LeakedHandlesReclaimed", "Connection handles the application dropped without "
                        + "close() that the adapter found (by garbage collection) and reclaimed: files closed, "
                        + "locks released, connection back to the pool", () -> NodeStatistics.value(node,
                        NodeView::leakedHandlesReclaimed, 0L)),
                Statistic.gaugeInt("LocksHeld", "Locks held outside the pool now (CephConnectionFactory.holdLock: "
                        + "the example app's check-outs)", () -> NodeStatistics.value(node, NodeView::locksHeld, 0))));
    }
}
