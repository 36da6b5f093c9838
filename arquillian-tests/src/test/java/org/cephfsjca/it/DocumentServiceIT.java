package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * The example app over HTTP, from outside the server (signed in as {@link ItUsers#EDITOR}): CRUD, name validation,
 * check-out locks (on the documents' lock files) seen by an independent Ceph client, streaming of a document much
 * larger than the server's heap, and the pool statistics of the connection definition read through the management
 * API.
 */
class DocumentServiceIT extends ExampleAppClient {

    private static final String DIR = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private static CephMount observer;

    @BeforeAll
    static void observer() {
        observer = Ceph.mount();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (observer != null) {
            try {
                Ceph.deleteTree(observer, "/documents/" + DIR);
            } finally {
                observer.close();
            }
        }
    }

    private static String doc(String name) {
        return "/documents/" + DIR + "/" + name;
    }

    /** The document's lock file in CephFS: check-outs lock it, never the document itself. */
    private static String lockFile(String name) {
        return ItEnv.lockFileOf(DIR + "/" + name);
    }

    @Test
    void createReadReplaceListDelete() {
        Http.Resp created = Http.put(doc("crud.txt"), "first version");
        assertEquals(201, created.status(), created.toString());
        assertEquals(Boolean.TRUE, created.object().get("created"));
        assertEquals(13L, Json.num(created.json(), "size"));
        assertEquals(sha256("first version"), Json.str(created.json(), "sha256"));

        Http.Resp read = Http.get(doc("crud.txt"));
        assertEquals(200, read.status());
        assertEquals("first version", read.body());

        Http.Resp replaced = Http.put(doc("crud.txt"), "second, longer version");
        assertEquals(200, replaced.status(), replaced.toString());
        assertEquals(Boolean.FALSE, replaced.object().get("created"));
        assertEquals("second, longer version", Http.get(doc("crud.txt")).body());

        Http.Resp nested = Http.put(doc("sub/folder/nested.txt"), "deep");
        assertEquals(201, nested.status(), nested.toString());

        Http.Resp list = Http.get("/documents");
        assertEquals(200, list.status());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> docs = (List<Map<String, Object>>) list.json();
        Map<String, Object> crud = find(docs, DIR + "/crud.txt");
        assertEquals(22L, ((Number) crud.get("size")).longValue());
        assertEquals(Boolean.FALSE, crud.get("checkedOut"));
        assertEquals(4L, ((Number) find(docs, DIR + "/sub/folder/nested.txt").get("size")).longValue());
        assertTrue(docs.stream().noneMatch(d -> d.get("name").toString().contains("/.")),
                "temporary upload files never show: " + docs);

        assertEquals(204, Http.delete(doc("crud.txt")).status());
        assertEquals(204, Http.delete(doc("sub/folder/nested.txt")).status());
        Http.Resp gone = Http.get(doc("crud.txt"));
        assertEquals(404, gone.status());
        assertEquals("not-found", Json.str(gone.json(), "error"));
        assertEquals(404, Http.delete(doc("crud.txt")).status());
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
        assertEquals(201, Http.put(doc("contract.txt"), "v1").status());
        Http.Resp co = Http.post(doc("contract.txt") + "/checkout");
        assertEquals(200, co.status(), co.toString());
        try {
            assertEquals(Boolean.TRUE, co.object().get("checkedOut"));
            // conflicts inside the app
            Http.Resp again = Http.post(doc("contract.txt") + "/checkout");
            assertEquals(409, again.status(), again.toString());
            assertEquals("locked", Json.str(again.json(), "error"));
            Http.Resp sneaky = Http.put(doc("contract.txt"), "sneaky");
            assertEquals(409, sneaky.status(), sneaky.toString());
            assertEquals("locked", sneaky.error());
            assertTrue(Json.str(sneaky.json(), "message").contains("checked out by " + ItUsers.EDITOR.name()),
                    "the conflict names the holder: " + sneaky);
            assertEquals(409, Http.delete(doc("contract.txt")).status());
            // and for any other Ceph client: the MDS enforces the lock on the document's lock file
            assertEquals(Ceph.Probe.HELD, Ceph.probe(observer, lockFile("contract.txt"), 10_000));
            // still readable meanwhile
            assertEquals("v1", Http.get(doc("contract.txt")).body());
            Map<String, Object> status = Http.get("/status").object();
            assertTrue(status.get("checkouts").toString().contains(DIR + "/contract.txt"), status.toString());
        } finally {
            Http.Resp in = Http.post(doc("contract.txt") + "/checkin", "v2, checked in");
            assertEquals(200, in.status(), in.toString());
            assertEquals(Boolean.TRUE, in.object().get("replaced"));
        }
        assertEquals("v2, checked in", Http.get(doc("contract.txt")).body());
        assertEquals(Ceph.Probe.FREE, Ceph.probe(observer, lockFile("contract.txt"), 10_000));
        Http.Resp twice = Http.post(doc("contract.txt") + "/checkin");
        assertEquals(409, twice.status(), twice.toString());

        // check-out and check-in without new content
        assertEquals(200, Http.post(doc("contract.txt") + "/checkout").status());
        Http.Resp plain = Http.post(doc("contract.txt") + "/checkin");
        assertEquals(200, plain.status(), plain.toString());
        assertEquals(Boolean.FALSE, plain.object().get("replaced"));
        assertEquals("v2, checked in", Http.get(doc("contract.txt")).body());
        assertEquals(204, Http.delete(doc("contract.txt")).status());
    }

    @Test
    void aLockHeldByAnotherCephClientIsAConflict() throws Exception {
        assertEquals(201, Http.put(doc("external.txt"), "x").status());
        // the upload created the document's lock file; another Ceph client following the same rule locks it
        try (CephFile f = observer.open(lockFile("external.txt"), OpenFlags.O_RDONLY, 0)) {
            assertTrue(f.lock(LockMode.EXCLUSIVE, false, 4242));
            Http.Resp co = Http.post(doc("external.txt") + "/checkout");
            assertEquals(409, co.status(), co.toString());
            assertTrue(Json.str(co.json(), "message").contains("Ceph client holds its lock"), co.toString());
            assertEquals(409, Http.delete(doc("external.txt")).status());
            assertEquals(409, Http.put(doc("external.txt"), "y").status());
            f.unlock(4242);
        }
        assertEquals(200, Http.post(doc("external.txt") + "/checkout").status());
        assertEquals(200, Http.post(doc("external.txt") + "/checkin").status());
        assertEquals(204, Http.delete(doc("external.txt")).status());
    }

    /** Streams a document of it.stream.bytes (512 MiB) up and down through a server whose heap is 256 MiB. */
    @Test
    void streamsADocumentLargerThanTheServerHeap() {
        long size = ItEnv.streamBytes();
        long seed = System.nanoTime();
        String expected = PatternStream.sha256(seed, size);
        long t0 = System.nanoTime();
        Http.Resp up = Http.putStream(doc("big.bin"), () -> new PatternStream(seed, size), size);
        long upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(201, up.status(), up.toString());
        assertEquals(size, Json.num(up.json(), "size"));
        assertEquals(expected, Json.str(up.json(), "sha256"), "the server hashed what it stored");

        long t1 = System.nanoTime();
        Http.Download down = Http.download(doc("big.bin"));
        long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        assertEquals(200, down.status(), down.errorBody());
        assertEquals(size, down.contentLength());
        assertEquals(size, down.bytes());
        assertEquals(expected, down.sha256());
        System.out.printf("[it] streaming %d MiB through a %s-heap server: upload %d ms (%.0f MiB/s), download %d ms"
                        + " (%.0f MiB/s)%n", size >> 20, System.getProperty("it.server.heap"), upMs,
                (size / 1048576.0) / (upMs / 1000.0), downMs, (size / 1048576.0) / (downMs / 1000.0));
        assertEquals(204, Http.delete(doc("big.bin")).status());
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

    private static Map<String, Object> find(List<Map<String, Object>> docs, String name) {
        return docs.stream().filter(d -> name.equals(d.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed: " + docs));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
