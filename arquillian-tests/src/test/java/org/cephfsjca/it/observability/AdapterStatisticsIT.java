package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;

/**
 * The adapter's own statistics in WildFly's management model, read through the management client as an operator's
 * tools would: {@code resource-adapter=cephfs-jca/statistics=extended} (the node: last recovery, takeovers, fencing,
 * lease) and {@code connection-definitions=CephFileSystem/statistics=extended} (sessions, connections, held locks,
 * leaks). Names, types (INT/LONG, never numbers as strings), values against the app's /api/status and the MDS,
 * {@code clear-statistics} and {@code statistics-enabled}.
 */
class AdapterStatisticsIT extends ExampleAppClient {

    static final String[] RA = {"subsystem", "resource-adapters", "resource-adapter", ItEnv.RA};
    static final String[] CD = {"subsystem", "resource-adapters", "resource-adapter", ItEnv.RA,
            "connection-definitions", ItEnv.CD};

    /** The node's statistics and their management types. */
    static final Map<String, ModelType> NODE = types(
            "RecoveryFinished", ModelType.INT, "LastRecoveryMode", ModelType.STRING,
            "LastRecoverySlotsChecked", ModelType.INT, "LastRecoverySessionsReset", ModelType.INT,
            "LastRecoveryNotFound", ModelType.INT, "LastRecoveryFailed", ModelType.INT,
            "LastRecoveryMillis", ModelType.LONG, "LastRecoveryStartedAt", ModelType.LONG,
            "TakeoversDone", ModelType.LONG, "TakeoversSuffered", ModelType.LONG, "TimesFenced", ModelType.LONG,
            "Fenced", ModelType.INT, "ServingState", ModelType.STRING, "LeaseState", ModelType.STRING,
            "LeaseHeld", ModelType.INT, "LeaseAgeMillis", ModelType.LONG);
    /** The factory's statistics and their management types. */
    static final Map<String, ModelType> FACTORY = types(
            "SessionsOpen", ModelType.INT, "SessionSlots", ModelType.INT, "Connections", ModelType.INT,
            "ConnectionsCreated", ModelType.LONG, "LeakedHandlesReclaimed", ModelType.LONG,
            "LocksHeld", ModelType.INT);

    private static final DocDir DIR = DocDir.create("stats");

    @Test
    void namesAndTypes() {
        try (Mgmt mgmt = Mgmt.connect()) {
            checkTypes("resource-adapter", NODE, mgmt.extendedStatisticsDescription(RA), mgmt.extendedStatistics(RA));
            checkTypes("connection definition", FACTORY, mgmt.extendedStatisticsDescription(CD),
                    mgmt.extendedStatistics(CD));
        }
    }

    @Test
    void theNodeStatisticsAreTheAdaptersRecoveryAndState() {
        Object status = Http.get("/status").json();
        ModelNode st;
        try (Mgmt mgmt = Mgmt.connect()) {
            st = mgmt.extendedStatistics(RA);
        }
        System.out.println("[it] resource-adapter statistics=extended: " + st);
        assertEquals(1, st.get("RecoveryFinished").asInt(), st.toString());
        assertEquals("RESET", st.get("LastRecoveryMode").asString());
        assertEquals(Json.str(status, "recovery", "mode"), st.get("LastRecoveryMode").asString());
        assertEquals(AdapterSetup.SLOTS, st.get("LastRecoverySlotsChecked").asInt());
        assertEquals(Json.num(status, "recovery", "slotsChecked"), st.get("LastRecoverySlotsChecked").asLong());
        assertEquals(Json.num(status, "recovery", "sessionsReset"), st.get("LastRecoverySessionsReset").asLong());
        assertEquals(Json.num(status, "recovery", "notFound"), st.get("LastRecoveryNotFound").asLong());
        assertEquals(0, st.get("LastRecoveryFailed").asInt());
        assertEquals(Json.num(status, "recovery", "millis"), st.get("LastRecoveryMillis").asLong());
        assertEquals(Instant.parse(Json.str(status, "recovery", "startedAt")).toEpochMilli(),
                st.get("LastRecoveryStartedAt").asLong());
        assertEquals(st.get("LastRecoverySlotsChecked").asInt(), st.get("LastRecoverySessionsReset").asInt()
                + st.get("LastRecoveryNotFound").asInt() + st.get("LastRecoveryFailed").asInt(), st.toString());
        assertEquals("serving", st.get("ServingState").asString());
        assertEquals(Json.str(status, "sessions", "serving"), st.get("ServingState").asString());
        assertEquals(0, st.get("Fenced").asInt());
        assertEquals(0L, st.get("TimesFenced").asLong());
        assertEquals(0L, st.get("TakeoversSuffered").asLong(), "a fresh node id was never taken over");
        assertTrue(st.get("TakeoversDone").asLong() >= 0);
        // held, or stale for a moment when the loaded machine delays a heartbeat; never lost, off or released
        assertTrue(List.of("held", "stale").contains(st.get("LeaseState").asString()), st.toString());
        assertTrue(st.get("LeaseAgeMillis").asLong() >= 0, st.toString());
    }

    @Test
    void theFactoryStatisticsFollowTheSessionsAndLocks() {
        String url = DIR.url("stats.txt");
        assertEquals(201, Http.put(url, "statistics").status());
        assertEquals(200, Http.get(url).status());
        Object status = Http.get("/status").json();
        ModelNode st;
        List<String> mds;
        try (Mgmt mgmt = Mgmt.connect()) {
            st = mgmt.extendedStatistics(CD);
            mds = Ceph.slotSessionsOf(AdapterSetup.nodeId());
            System.out.println("[it] connection-definitions statistics=extended: " + st + "; pool "
                    + mgmt.poolStatistics() + "; slot sessions in the MDS " + mds);
            assertEquals(AdapterSetup.SLOTS, st.get("SessionSlots").asInt());
            assertTrue(st.get("SessionsOpen").asInt() >= 1, st.toString());
            assertEquals(Json.num(status, "sessions", "slotsInUse"), st.get("SessionsOpen").asLong());
            assertEquals(mds.size(), st.get("SessionsOpen").asInt(), "the node's slot sessions in the MDS: " + mds);
            assertEquals(Json.num(status, "sessions", "connections"), st.get("Connections").asLong());
            assertTrue(st.get("ConnectionsCreated").asLong() >= st.get("Connections").asLong(), st.toString());
            assertEquals(0L, st.get("LeakedHandlesReclaimed").asLong(), "in WildFly the container's pool finds leaks");
            assertEquals(0, st.get("LocksHeld").asInt());

            assertEquals(200, Http.post(url + "/checkout").status());
            try {
                assertEquals(1, mgmt.extendedStatistics(CD).get("LocksHeld").asInt(), "a check-out holds a lock");
            } finally {
                assertEquals(200, Http.post(url + "/checkin").status());
            }
            assertEquals(0, mgmt.extendedStatistics(CD).get("LocksHeld").asInt(), "the check-in released it");
        }
    }

    @Test
    void clearStatisticsRestartsTheCountersOnly() {
        assertEquals(200, Http.get("/status").status()); // at least one connection was created
        try (Mgmt mgmt = Mgmt.connect()) {
            ModelNode before = mgmt.extendedStatistics(CD);
            assertTrue(before.get("ConnectionsCreated").asLong() >= 1, before.toString());
            mgmt.invoke("clear-statistics", path(CD));
            ModelNode after = mgmt.extendedStatistics(CD);
            System.out.println("[it] clear-statistics: " + before + " -> " + after);
            assertEquals(0L, after.get("ConnectionsCreated").asLong(), "a counter counts from zero after a clear");
            assertEquals(0L, after.get("LeakedHandlesReclaimed").asLong());
            assertEquals(before.get("SessionsOpen").asInt(), after.get("SessionsOpen").asInt(), "a gauge stays");
            assertEquals(before.get("SessionSlots").asInt(), after.get("SessionSlots").asInt());

            ModelNode node = mgmt.extendedStatistics(RA);
            mgmt.invoke("clear-statistics", path(RA));
            ModelNode nodeAfter = mgmt.extendedStatistics(RA);
            assertEquals(node.get("LastRecoverySlotsChecked"), nodeAfter.get("LastRecoverySlotsChecked"),
                    "the last recovery is a gauge");
            assertEquals(node.get("LastRecoveryStartedAt"), nodeAfter.get("LastRecoveryStartedAt"));
            assertEquals(0L, nodeAfter.get("TakeoversDone").asLong());
            assertEquals(0L, nodeAfter.get("TimesFenced").asLong());
        }
    }

    @Test
    void statisticsEnabledTurnsThemOffAndOn() {
        try (Mgmt mgmt = Mgmt.connect()) {
            for (String[] at : List.of(RA, CD)) {
                assertTrue(mgmt.extendedStatistics(at).get("statistics-enabled").asBoolean(),
                        "configure-adapter.cli sets statistics-enabled=true on the resource adapter");
            }
            try {
                mgmt.write("statistics-enabled", new ModelNode(false), path(RA));
                mgmt.write("statistics-enabled", new ModelNode(false), path(CD));
                ModelNode off = mgmt.extendedStatistics(RA);
                ModelNode offCd = mgmt.extendedStatistics(CD);
                System.out.println("[it] statistics-enabled=false: " + off + " " + offCd);
                assertEquals(0, off.get("RecoveryFinished").asInt());
                assertEquals(0, off.get("LastRecoverySlotsChecked").asInt());
                assertEquals("", off.get("ServingState").asString());
                assertEquals(0, offCd.get("SessionSlots").asInt());
            } finally {
                mgmt.write("statistics-enabled", new ModelNode(true), path(RA));
                mgmt.write("statistics-enabled", new ModelNode(true), path(CD));
            }
            assertEquals(AdapterSetup.SLOTS, mgmt.extendedStatistics(RA).get("LastRecoverySlotsChecked").asInt());
            assertEquals("serving", mgmt.extendedStatistics(RA).get("ServingState").asString());
            assertEquals(AdapterSetup.SLOTS, mgmt.extendedStatistics(CD).get("SessionSlots").asInt());
        }
    }

    /** The address of {@code statistics=extended} under {@code parent}. */
    static String[] path(String[] parent) {
        String[] full = java.util.Arrays.copyOf(parent, parent.length + 2);
        full[parent.length] = "statistics";
        full[parent.length + 1] = "extended";
        return full;
    }

    private static void checkTypes(String what, Map<String, ModelType> expected, ModelNode description,
                                   ModelNode values) {
        for (Map.Entry<String, ModelType> e : expected.entrySet()) {
            assertTrue(description.has(e.getKey()), what + ": no attribute " + e.getKey() + " in " + description.keys());
            assertEquals(e.getValue(), description.get(e.getKey(), "type").asType(), what + " " + e.getKey());
            assertTrue(values.get(e.getKey()).isDefined(), what + " " + e.getKey() + " undefined: " + values);
            if (e.getValue() != ModelType.STRING) {
                assertEquals(e.getValue(), values.get(e.getKey()).getType(), what + " " + e.getKey() + ": " + values);
            }
        }
    }

    private static Map<String, ModelType> types(Object... nameType) {
        Map<String, ModelType> m = new LinkedHashMap<>();
        for (int i = 0; i < nameType.length; i += 2) {
            m.put((String) nameType[i], (ModelType) nameType[i + 1]);
        }
        return m;
    }
}
