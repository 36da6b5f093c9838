package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * Bulkheads: slow uploads take at most the upload limit's places (3 by default), the next upload gets 503
 * {@code busy} with a Retry-After, and reads, listings and check-outs keep working meanwhile; the slow uploads then
 * complete whole. Downloads over their limit wait for a place instead of being refused; downloads the client
 * abandons midway give their place and their connection back without a stack trace.
 */
class BulkheadIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("bulkhead");
    private static final ExecutorService POOL = Threads.daemons("bulkhead-it");

    @Test
    void slowUploadsCannotTakeEveryConnection() throws Exception {
        Http user = Http.as(ItUsers.EDITOR);
        assertEquals(201, user.doPut(DIR.url("readable.txt"), "still readable").status());
        int max = (int) Json.num(user.doGet("/status").json(), "limits", "uploads", "max");
        ServerLog log = ServerLog.mark();
        SlowUploads slow = SlowUploads.start(user, DIR, max, 1000, 256 * 1024);
        try {
            awaitStatus(user, s -> Json.num(s, "limits", "uploads", "inUse") == max, "all upload places taken");

            long t0 = System.nanoTime();
            Http.Resp refused = user.doPut(DIR.url("one-too-many.txt"), "x");
            long refusedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("busy", refused.error());
            assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, "Retry-After: " + refused.headers());

            // reads, listings and check-outs are not held up
            t0 = System.nanoTime();
            assertEquals("still readable", user.doGet(DIR.url("readable.txt")).body());
            assertEquals(200, user.doGet("/documents").status());
            assertEquals(200, user.doPost(DIR.url("readable.txt") + "/checkout").status());
            assertEquals(200, user.doPost(DIR.url("readable.txt") + "/checkin").status());
            long readsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Object status = user.doGet("/status").json();
            assertEquals((long) max, Json.num(status, "limits", "uploads", "inUse"), status.toString());
            System.out.printf("[it] %d slow uploads in progress: the next upload refused in %d ms (%s, Retry-After"
                            + " %s); get+list+check-out+check-in meanwhile %d ms; pool %s%n", max, refusedMs,
                    refused.error(), refused.header("Retry-After"), readsMs, Json.at(status, "pool"));
        } finally {
            slow.release();
        }
        for (int i = 0; i < max; i++) {
            Http.Resp r = slow.answer(i);
            assertEquals(201, r.status(), "slow upload " + i + ": " + r);
            String expected = slow.sha256(i);
            assertEquals(expected, Json.str(r.json(), "sha256"));
            assertEquals(expected, user.doDownload(slow.url(i)).sha256(), "stored whole");
        }
        assertEquals(201, user.doPut(DIR.url("one-too-many.txt"), "x").status(), "places free again");
        assertTrue(log.stackTraceLines().isEmpty(), "no stack trace in server.log: " + log.stackTraceLines());
    }

    @Test
    void downloadsOverTheLimitWaitInsteadOfBeingRefused() throws Exception {
        Http user = Http.as(ItUsers.EDITOR2);
        long size = 32L << 20; // more than the socket buffers hold: an unread download keeps its place
        long seed = 77;
        assertEquals(201, user.doPutStream(DIR.url("large.bin"), () -> new PatternStream(seed, size), size).status());
        String expected = PatternStream.sha256(seed, size);
        int max = (int) Json.num(user.doGet("/status").json(), "limits", "downloads", "max");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(ItEnv.apiUrl() + DIR.url("large.bin")))
                .header("Authorization", Http.basic(ItUsers.EDITOR2)).build();
        List<InputStream> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                HttpResponse<InputStream> r = client.send(get, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                stalled.add(r.body()); // not read: the server's copy blocks on a full socket
            }
            awaitStatus(user, s -> Json.num(s, "limits", "downloads", "inUse") == max, "all download places taken");
            Future<Http.Download> queued = POOL.submit(() -> user.doDownload(DIR.url("large.bin")));
            awaitStatus(user, s -> Json.num(s, "limits", "downloads", "waiting") == 1, "the next download waits");
            assertEquals(200, user.doGet("/documents").status(), "listings keep working");
            for (InputStream in : stalled) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                in.close();
            }
            stalled.clear();
            Http.Download d = queued.get(120, TimeUnit.SECONDS);
            assertEquals(200, d.status(), d.errorBody());
            assertEquals(expected, d.sha256());
        } finally {
            for (InputStream in : stalled) {
                in.close();
            }
        }
    }

    @Test
    void downloadsAbandonedMidwayGiveEverythingBack() throws Exception {
        Http user = Http.as(ItUsers.EDITOR2);
        long size = 64L << 20; // read ahead on a managed thread (ReadAhead): its reader must stop with the client
        long seed = 78;
        assertEquals(201, user.doPutStream(DIR.url("abandoned.bin"), () -> new PatternStream(seed, size), size)
                .status());
        ServerLog log = ServerLog.mark();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(ItEnv.apiUrl() + DIR.url("abandoned.bin")))
                .header("Authorization", Http.basic(ItUsers.EDITOR2)).build();
        int rounds = 6;
        for (int i = 0; i < rounds; i++) {
            HttpResponse<InputStream> r = client.send(get, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            try (InputStream in = r.body()) {
                in.readNBytes(1 << 20 << (i % 3)); // 1, 2 or 4 MiB, then the client goes away
            }
        }
        awaitStatus(user, s -> Json.num(s, "limits", "downloads", "inUse") == 0, "every download place back");
        Await.until("every connection back in the pool", Duration.ofSeconds(60),
                () -> user.doGet("/status").json(), s -> Json.num(s, "pool", "InUseCount") == 0);
        Http.Download whole = user.doDownload(DIR.url("abandoned.bin"));
        assertEquals(200, whole.status(), whole.errorBody());
        assertEquals(PatternStream.sha256(seed, size), whole.sha256(), "a complete download after the abandoned ones");
        assertTrue(log.stackTraceLines().isEmpty(), "no stack trace in server.log: " + log.stackTraceLines());
    }

    private static void awaitStatus(Http user, Predicate<Object> condition, String what) {
        Await.until(what, Duration.ofSeconds(60), () -> user.doGet("/status").json(), condition);
    }
}
