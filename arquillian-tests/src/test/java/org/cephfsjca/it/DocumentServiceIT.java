package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * The example app over HTTP, from outside the server (signed in as {@link ItUsers#EDITOR}): CRUD, name validation,
 * check-out locks (on the documents' lock files) seen by an independent Ceph client, streaming of a document much
 * larger than the server's heap, and the pool statistics of the connection definition read through the management
 * API.
 */
class DocumentServiceIT extends ExampleAppClient {

    private static final String DIR = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private static DocumentScenarios scenarios;

    @BeforeAll
    static void scenarios() {
        scenarios = DocumentScenarios.in(DIR);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (scenarios != null) {
            scenarios.close();
        }
    }

    private static String doc(String name) {
        return scenarios.doc(name);
    }

    @Test
    void createReadReplaceListDelete() {
        scenarios.createReadReplaceListDelete();
    }

    @Test
    void badNamesAre400WithAReason() {
        Map<String, String> bad = Map.of(
                "/documents/%2e%2e/outside.txt", "..",
                "/documents/a/%2e%2e/%2e%2e/etc/passwd", "..",
                "/documents/a%00b", "NUL",
                "/documents/.hidden", "reserved",
                "/documents/a/./b", "'.'",
                "/documents/a%5cb", "backslash",
                "/documents/a/checkout", "reserved");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Http.Resp r = Http.put(e.getKey(), "x");
            assertEquals(400, r.status(), "PUT " + e.getKey() + " -> " + r);
            assertEquals("bad-name", Json.str(r.json(), "error"), r.toString());
            assertTrue(Json.str(r.json(), "message").contains(e.getValue()), "PUT " + e.getKey() + " -> " + r);
            Http.Resp g = Http.get(e.getKey());
            assertTrue(g.status() == 400 || g.status() == 405, "GET " + e.getKey() + " -> " + g);
        }
        Http.Resp empty = Http.put("/documents/", "x");
        assertEquals(400, empty.status(), empty.toString());
        assertTrue(Json.str(empty.json(), "message").contains("empty"), empty.toString());
        assertEquals(404, Http.get(doc("never-written.txt")).status());
        assertEquals(404, Http.post(doc("never-written.txt") + "/checkout").status());
        assertEquals(404, Http.delete(doc("never-written.txt")).status());
    }

    @Test
    void checkoutHoldsTheCephLockAcrossRequestsAgainstEveryone() throws Exception {
        scenarios.checkoutHoldsTheCephLockAcrossRequestsAgainstEveryone();
    }

    @Test
    void aLockHeldByAnotherCephClientIsAConflict() throws Exception {
        scenarios.aLockHeldByAnotherCephClientIsAConflict(4242);
    }

    /** Streams a document of it.stream.bytes (512 MiB) up and down through a server whose heap is 256 MiB. */
    @Test
    void streamsADocumentLargerThanTheServerHeap() {
        scenarios.streamsADocument(ItEnv.streamBytes(), "WildFly, " + System.getProperty("it.server.heap") + " heap");
    }

    @Test
    void poolStatisticsFollowTheRequests() throws Exception {
        try (Mgmt mgmt = Mgmt.connect()) {
            Map<String, Long> before = mgmt.poolStatistics();
            assertEquals(0L, before.get("InUseCount"), "nothing in use between requests: " + before);

            for (int i = 0; i < 5; i++) {
                assertEquals(201, Http.put(doc("pool-" + i + ".txt"), "p" + i).status());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(200, Http.get(doc("pool-" + i + ".txt")).status());
            }
            Map<String, Long> sequential = mgmt.poolStatistics();
            assertEquals(0L, sequential.get("InUseCount"), sequential.toString());
            assertTrue(sequential.get("ActiveCount") >= 1, "sessions stay pooled: " + sequential);
            assertTrue(sequential.get("CreatedCount") - before.get("CreatedCount") <= 1,
                    "10 sequential requests reuse the pooled session: " + before + " -> " + sequential);

            // three check-outs keep no connection out of the pool: their locks are held outside it (holdLock)
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Http.post(doc("pool-" + i + ".txt") + "/checkout").status());
            }
            try {
                Map<String, Long> held = mgmt.poolStatistics();
                assertEquals(0L, held.get("InUseCount"), held.toString());
                assertEquals(held.get("ActiveCount") - held.get("InUseCount"), held.get("IdleCount"),
                        held.toString());
                // the app's status endpoint reads the same figures in-process, and the adapter's slot count agrees
                Object status = Http.get("/status").json();
                assertEquals(0L, Json.num(status, "pool", "InUseCount"), status.toString());
                assertEquals(3, ((List<?>) Json.at(status, "checkouts")).size(), status.toString());
                assertEquals(Json.num(status, "pool", "ActiveCount"), Json.num(status, "sessions", "connections"),
                        "the adapter counts the pool's connections: " + status);
                assertEquals(1L, Json.num(status, "sessions", "slotsInUse"),
                        "all pooled connections share one CephFS session: " + status);
                assertEquals(AdapterSetup.SLOTS, Json.num(status, "sessions", "slotCount"));
                assertEquals(AdapterSetup.nodeId(), Json.str(status, "sessions", "nodeId"));
                // and the MDS sees exactly that session, with the adapter's uuid
                assertEquals(1, Ceph.slotSessionsOf(AdapterSetup.nodeId()).size(),
                        "slot sessions in the MDS: " + Ceph.sessionsOf(AdapterSetup.nodeId()));
                System.out.printf("[it] pool with 3 check-outs held: %s%n", held);
            } finally {
                for (int i = 0; i < 3; i++) {
                    Http.post(doc("pool-" + i + ".txt") + "/checkin");
                }
            }
            Map<String, Long> after = mgmt.poolStatistics();
            assertEquals(0L, after.get("InUseCount"), after.toString());
            for (int i = 0; i < 5; i++) {
                assertEquals(204, Http.delete(doc("pool-" + i + ".txt")).status());
            }
        }
    }

    @Test
    void statusReportsTheStartTimeRecovery() {
        Object s = Http.get("/status").json();
        assertEquals("RESET", Json.str(s, "recovery", "mode"));
        assertEquals(AdapterSetup.nodeId(), Json.str(s, "recovery", "nodeId"));
        assertEquals((long) AdapterSetup.SLOTS, Json.num(s, "recovery", "slotsChecked"));
        assertEquals(0L, Json.num(s, "recovery", "failed"));
        // a fresh node id: nothing to reset
        assertEquals(0L, Json.num(s, "recovery", "sessionsReset"));
        assertEquals((long) AdapterSetup.SLOTS, Json.num(s, "recovery", "notFound"));
        assertTrue(Json.str(s, "recovery", "summary").startsWith("recovery RESET for node " + AdapterSetup.nodeId()),
                s.toString());
        // the running adapter holds its node lease through a session of its own
        assertTrue(Ceph.sessionsOf(AdapterSetup.nodeId()).contains(ItEnv.leaseUuid(AdapterSetup.nodeId())),
                "lease session of the node: " + Ceph.sessionsOf(AdapterSetup.nodeId()));
        System.out.printf("[it] status of a fresh node: %s%n", Json.str(s, "recovery", "summary"));
        assertEquals("cephfs-jca", Json.str(s, "pool", "resourceAdapter"));
        assertNotEquals(null, Json.at(s, "pool", "AvailableCount"));
        assertFalse(Json.str(s, "documentRoot").isEmpty());
    }
}
