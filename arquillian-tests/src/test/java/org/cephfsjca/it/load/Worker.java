package org.cephfsjca.it.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;

/**
 * One connection of the load test: its own HTTP client (one keep-alive connection), one user, a loop of GET (45%),
 * PUT (25%), list (15%) and check-out (15%; held for a GET or two, then checked in, half the time with new content)
 * until the deadline. Answers that are a normal outcome of the mix (409 for a document someone checked out) are
 * counted; anything else is a problem, as is a GET whose content was never PUT.
 */
final class Worker implements Runnable {

    private final int id;
    private final ItUsers.User user;
    private final List<String> docs;
    private final Ledger ledger;
    private final Stats stats;
    private final long deadline;
    private final Random random;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Worker(int id, ItUsers.User user, List<String> docs, Ledger ledger, Stats stats, long deadline, long seed) {
        this.id = id;
        this.user = user;
        this.docs = docs;
        this.ledger = ledger;
        this.stats = stats;
        this.deadline = deadline;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        while (System.nanoTime() < deadline) {
            try {
                int r = random.nextInt(100);
                String doc = docs.get(random.nextInt(docs.size()));
                if (r < 45) {
                    get(doc);
                } else if (r < 70) {
                    put(doc);
                } else if (r < 85) {
                    list();
                } else {
                    checkoutCycle(doc);
                }
            } catch (IOException e) {
                stats.problem("worker " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void get(String doc) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = send(request(doc).GET());
        stats.record("GET", r.statusCode(), System.nanoTime() - t0);
        if (r.statusCode() != 200) {
            stats.problem("GET " + doc + " -> " + r.statusCode() + " " + new String(r.body()));
        } else if (!ledger.wasPut(doc, sha256(r.body()))) {
            stats.problem("WRONG CONTENT: GET " + doc + " returned " + r.body().length + " bytes, sha256 "
                    + sha256(r.body()) + ", which was never PUT");
        }
    }

    private void put(String doc) throws IOException, InterruptedException {
        byte[] body = content();
        ledger.willPut(doc, sha256(body));
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = send(request(doc).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        stats.record("PUT", r.statusCode(), System.nanoTime() - t0);
        expect("PUT " + doc, r, 200, 201, 409);
    }

    private void list() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = send(request("").GET());
        stats.record("list", r.statusCode(), System.nanoTime() - t0);
        expect("list", r, 200);
    }

    private void checkoutCycle(String doc) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> co = send(request(doc + "/checkout").POST(HttpRequest.BodyPublishers.noBody()));
        stats.record("checkout", co.statusCode(), System.nanoTime() - t0);
        expect("checkout " + doc, co, 200, 409);
        if (co.statusCode() != 200) {
            return;
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            get(doc);
        }
        byte[] body = random.nextBoolean() ? content() : new byte[0];
        if (body.length > 0) {
            ledger.willPut(doc, sha256(body));
        }
        long t1 = System.nanoTime();
        HttpResponse<byte[]> in = send(request(doc + "/checkin").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        stats.record("checkin", in.statusCode(), System.nanoTime() - t1);
        expect("checkin " + doc, in, 200);
    }

    private void expect(String what, HttpResponse<byte[]> r, int... ok) {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        stats.problem(what + " -> " + r.statusCode() + " " + new String(r.body()));
    }

    /** 1-64 KiB of random bytes. */
    private byte[] content() {
        byte[] b = new byte[1024 + random.nextInt(63 * 1024)];
        random.nextBytes(b);
        return b;
    }

    private HttpRequest.Builder request(String doc) {
        String path = doc.isEmpty() ? "/documents" : "/documents/" + doc;
        return HttpRequest.newBuilder(URI.create(ItEnv.apiUrl() + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", Http.basic(user));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
