package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * The document-service scenarios every server runs the same way (DocumentServiceIT on WildFly,
 * PayaraDocumentServiceIT on Payara Micro): CRUD and the listing, a check-out's CephFS lock seen by an independent
 * Ceph client, a lock of another Ceph client as a conflict, and a document streamed up and down. Over HTTP as
 * {@link ItUsers#EDITOR}, in a folder of their own, with one observer mount; {@link #close} deletes the folder.
 */
public final class DocumentScenarios implements AutoCloseable {

    private final String dir;
    private final CephMount observer;

    private DocumentScenarios(String dir, CephMount observer) {
        this.dir = dir;
        this.observer = observer;
    }

    /** Scenarios in the folder {@code dir} below the documents, with a fresh observer mount. */
    public static DocumentScenarios in(String dir) {
        return new DocumentScenarios(dir, Ceph.mount());
    }

    /** The API path of the document {@code name} in the folder. */
    public String doc(String name) {
        return "/documents/" + dir + "/" + name;
    }

    /** The document's lock file in CephFS: check-outs lock it, never the document itself. */
    public String lockFile(String name) {
        return ItEnv.lockFileOf(dir + "/" + name);
    }

    /** The independent Ceph client (client.admin, its own session) the scenarios observe locks with. */
    public CephMount observer() {
        return observer;
    }

    public void createReadReplaceListDelete() {
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
        Map<String, Object> crud = find(docs, dir + "/crud.txt");
        assertEquals(22L, ((Number) crud.get("size")).longValue());
        assertEquals(Boolean.FALSE, crud.get("checkedOut"));
        assertEquals(4L, ((Number) find(docs, dir + "/sub/folder/nested.txt").get("size")).longValue());
        assertTrue(docs.stream().noneMatch(d -> d.get("name").toString().contains("/.")),
                "temporary upload files never show: " + docs);

        assertEquals(204, Http.delete(doc("crud.txt")).status());
        assertEquals(204, Http.delete(doc("sub/folder/nested.txt")).status());
        Http.Resp gone = Http.get(doc("crud.txt"));
        assertEquals(404, gone.status());
        assertEquals("not-found", Json.str(gone.json(), "error"));
        assertEquals(404, Http.delete(doc("crud.txt")).status());
    }

    public void checkoutHoldsTheCephLockAcrossRequestsAgainstEveryone() throws Exception {
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
            assertTrue(status.get("checkouts").toString().contains(dir + "/contract.txt"), status.toString());
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

    public void aLockHeldByAnotherCephClientIsAConflict(long lockOwner) throws Exception {
        assertEquals(201, Http.put(doc("external.txt"), "x").status());
        // the upload created the document's lock file; another Ceph client following the same rule locks it
        try (CephFile f = observer.open(lockFile("external.txt"), OpenFlags.O_RDONLY, 0)) {
            assertTrue(f.lock(LockMode.EXCLUSIVE, false, lockOwner));
            Http.Resp co = Http.post(doc("external.txt") + "/checkout");
            assertEquals(409, co.status(), co.toString());
            assertTrue(Json.str(co.json(), "message").contains("Ceph client holds its lock"), co.toString());
            assertEquals(409, Http.delete(doc("external.txt")).status());
            assertEquals(409, Http.put(doc("external.txt"), "y").status());
            f.unlock(lockOwner);
        }
        assertEquals(200, Http.post(doc("external.txt") + "/checkout").status());
        assertEquals(200, Http.post(doc("external.txt") + "/checkin").status());
        assertEquals(204, Http.delete(doc("external.txt")).status());
    }

    /** Streams a document of {@code size} bytes up and down; the server must hash and return exactly it. */
    public void streamsADocument(long size, String server) {
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
        System.out.printf("[it] %s: streaming %d MiB: upload %d ms (%.0f MiB/s), download %d ms (%.0f MiB/s)%n",
                server, size >> 20, upMs,
                (size / 1048576.0) / (upMs / 1000.0), downMs, (size / 1048576.0) / (downMs / 1000.0));
        assertEquals(204, Http.delete(doc("big.bin")).status());
    }

    @Override
    public void close() throws Exception {
        try {
            Ceph.deleteTree(observer, "/documents/" + dir);
        } finally {
            observer.close();
        }
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
