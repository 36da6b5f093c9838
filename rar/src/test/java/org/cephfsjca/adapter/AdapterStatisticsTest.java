package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.RecoveryReport;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * The adapter's statistics through IronJacamar's SPI, as WildFly reads them, against the real cluster: the names
 * exist before start, the types are primitive, the values follow the node, {@code setEnabled(false)} reads zeros and
 * {@code clear()} restarts the counters only.
 */
class AdapterStatisticsTest {

    private static final List<String> NODE_NAMES = List.of("RecoveryFinished", "LastRecoveryMode",
            "LastRecoverySlotsChecked", "LastRecoverySessionsReset", "LastRecoveryNotFound", "LastRecoveryFailed",
            "LastRecoveryMillis", "LastRecoveryStartedAt", "TakeoversDone", "TakeoversSuffered", "TimesFenced",
            "Fenced", "ServingState", "LeaseState", "LeaseHeld", "LeaseAgeMillis");
    private static final List<String> FACTORY_NAMES = List.of("SessionsOpen", "SessionSlots", "Connections",
            "ConnectionsCreated", "LeakedHandlesReclaimed", "LocksHeld");

    @Test
    void namesAndTypesExistBeforeStart() {
        CephResourceAdapter ra = Adapters.configured(Adapters.freshNodeId("stats-names"), 2);
        StatisticsPlugin node = ((Statistics) ra).getStatistics();
        StatisticsPlugin factory = ((Statistics) new CephManagedConnectionFactory()).getStatistics();
        assertEquals(List.copyOf(node.getNames()), NODE_NAMES);
        assertEquals(List.copyOf(factory.getNames()), FACTORY_NAMES);
        for (StatisticsPlugin p : List.of(node, factory)) {
            for (String n : p.getNames()) {
                Class<?> t = p.getType(n);
                assertTrue(t == int.class || t == long.class || t == String.class, n + ": " + t);
                assertNotNull(p.getDescription(n), n);
                assertNotNull(p.getValue(n), n + " before start");
            }
        }
        assertEquals(0, node.getValue("RecoveryFinished"));
        assertEquals("not-started", node.getValue("ServingState"));
        assertEquals(0, factory.getValue("SessionsOpen"));
        assertEquals(Set.of("LastRecoveryMode", "ServingState", "LeaseState"), Set.copyOf(
                node.getNames().stream().filter(n -> node.getType(n) == String.class).toList()));
    }

    @Test
    void valuesFollowTheNodeAndClearRestartsOnlyTheCounters() throws Exception {
        String nodeId = Adapters.freshNodeId("stats");
        CephResourceAdapter ra = Adapters.started(nodeId, 3, r -> r.setLeaseIntervalMillis(250));
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        StatisticsPlugin node = ra.getStatistics();
        StatisticsPlugin factory = mcf.getStatistics();
        try {
            RecoveryReport r = ra.getLastRecovery();
            assertEquals(1, node.getValue("RecoveryFinished"));
            assertEquals("RESET", node.getValue("LastRecoveryMode"));
            assertEquals(3, node.getValue("LastRecoverySlotsChecked"));
            assertEquals(r.notFound(), node.getValue("LastRecoveryNotFound"));
            assertEquals(r.sessionsReset(), node.getValue("LastRecoverySessionsReset"));
            assertEquals(0, node.getValue("LastRecoveryFailed"));
            assertEquals(r.millis(), node.getValue("LastRecoveryMillis"));
            assertEquals(r.startedAt().toEpochMilli(), node.getValue("LastRecoveryStartedAt"));
            assertEquals("serving", node.getValue("ServingState"));
            assertEquals(0, node.getValue("Fenced"));
            assertEquals(0L, node.getValue("TakeoversDone"));
            assertEquals(0L, node.getValue("TakeoversSuffered"));
            assertEquals(0L, node.getValue("TimesFenced"));
            assertTrue((Long) node.getValue("LeaseAgeMillis") >= 0, "lease age " + node.getValue("LeaseAgeMillis"));

            CephConnectionFactory cf = (CephConnectionFactory) mcf.createConnectionFactory();
            assertEquals(0, factory.getValue("SessionsOpen"));
            assertEquals(3, factory.getValue("SessionSlots"));
            try (CephConnection a = cf.getConnection(); CephConnection b = cf.getConnection()) {
                a.exists("/");
                b.exists("/");
                assertEquals(1, factory.getValue("SessionsOpen"), "two connections of one identity share a session");
                assertEquals(2, factory.getValue("Connections"));
                assertEquals(2L, factory.getValue("ConnectionsCreated"));
            }
            assertEquals(0, factory.getValue("LocksHeld"));
            assertEquals(0L, factory.getValue("LeakedHandlesReclaimed"));

            factory.clear();
            assertEquals(0L, factory.getValue("ConnectionsCreated"), "a counter counts from zero after clear()");
            assertEquals(1, factory.getValue("SessionsOpen"), "a gauge is not affected by clear()");
            node.clear();
            assertEquals(3, node.getValue("LastRecoverySlotsChecked"), "the last recovery is not affected by clear()");

            node.setEnabled(false);
            factory.setEnabled(false);
            assertEquals(0, node.getValue("LastRecoverySlotsChecked"));
            assertEquals("", node.getValue("ServingState"));
            assertEquals(0, factory.getValue("SessionsOpen"));
            node.setEnabled(true);
            factory.setEnabled(true);
            assertEquals(3, node.getValue("LastRecoverySlotsChecked"));
            assertEquals(1, factory.getValue("SessionsOpen"));
        } finally {
            ra.stop();
        }
        assertEquals("not-started", node.getValue("ServingState"), "after stop the adapter has no node");
        assertEquals(0, node.getValue("RecoveryFinished"));
    }
}
