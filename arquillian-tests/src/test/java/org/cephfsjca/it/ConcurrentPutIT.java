package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.DirEntry;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Concurrent PUTs of one new name all succeed, and the document is then exactly one of them (the last rename wins;
 * never a mix, no temporary file left); the 409 of a PUT says what really conflicts: a check-out, naming its
 * holder. (Before: 10 of 20 concurrent PUTs got a false "checked out" 409.)
 */
class ConcurrentPutIT extends ExampleAppClient {

    private static final int WRITERS = 20;
    private static final int ROUNDS = 3;
    private static final DocDir DIR = DocDir.create("concurrent");
    private static final ExecutorService POOL = Threads.daemons("concurrent-put");

    @Test
    void concurrentPutsOfOneNewNameAllSucceedAndOneWinsWhole() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String url = DIR.url("same-" + round + ".bin");
            List<byte[]> bodies = new ArrayList<>();
            Set<String> shas = new HashSet<>();
            for (int i = 0; i < WRITERS; i++) {
                byte[] b = body(round, i);
                bodies.add(b);
                shas.add(sha256(b));
            }
            List<Http.Resp> answers = putAll(url, bodies);
            int created = 0;
            for (int i = 0; i < WRITERS; i++) {
                Http.Resp r = answers.get(i);
                assertTrue(r.status() == 200 || r.status() == 201, "PUT " + i + " of round " + round + ": " + r);
                assertEquals(sha256(bodies.get(i)), Json.str(r.json(), "sha256"), "each stored what it sent");
                created += r.status() == 201 ? 1 : 0;
            }
            Http.Download d = Http.download(url);
            assertEquals(200, d.status(), d.errorBody());
            assertTrue(shas.contains(d.sha256()), "the document is one whole upload, not a mix: " + d.sha256());
            assertEquals(bodies.get(0).length, d.bytes());
            System.out.printf("[it] round %d: %d concurrent PUTs of one new name: all 2xx (%d answered 201), the "
                    + "document is one of them whole%n", round, WRITERS, created);
        }
        try (CephMount m = Ceph.mount()) {
            for (DirEntry e : m.list(ItEnv.DOCUMENTS + "/" + DIR.dir())) {
                assertTrue(!e.name().startsWith(".upload-"), "no temporary file left: " + e.name());
            }
        }
    }

    @Test
    void aPutConflictsOnlyWithACheckoutAndSaysWhose() throws Exception {
        String url = DIR.url("held.bin");
        assertEquals(201, Http.put(url, "original").status());
        Http owner = Http.as(ItUsers.EDITOR2);
        assertEquals(200, owner.doPost(url + "/checkout").status());
        try {
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                bodies.add(body(99, i));
            }
            for (Http.Resp r : putAll(url, bodies)) {
                assertEquals(409, r.status(), r.toString());
                assertEquals("locked", r.error());
                assertTrue(Json.str(r.json(), "message").contains("checked out by " + ItUsers.EDITOR2.name()),
                        r.toString());
            }
        } finally {
            assertEquals(200, owner.doPost(url + "/checkin").status());
        }
        assertEquals("original", Http.get(url).body());
    }

    private static List<Http.Resp> putAll(String url, List<byte[]> bodies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Resp>> futures = new ArrayList<>();
        for (byte[] b : bodies) {
            futures.add(POOL.submit(() -> {
                start.await();
                return Http.put(url, b);
            }));
        }
        start.countDown();
        List<Http.Resp> out = new ArrayList<>();
        for (Future<Http.Resp> f : futures) {
            out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
    }

    /** 64 KiB filled with one writer's own byte pattern: a mix of two would show in the hash. */
    private static byte[] body(int round, int writer) {
        byte[] b = new byte[64 * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (writer * 31 + round * 7 + i % 251);
        }
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
