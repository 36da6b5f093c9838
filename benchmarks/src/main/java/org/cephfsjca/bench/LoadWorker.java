package org.cephfsjca.bench;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One connection of the mixed load, the mix of arquillian-tests' load/LoadIT (mirrored, not shared: the ITs' classes
 * are test code of another module): its own HTTP client, one user, GET 45 %, PUT 25 % (1-64 KiB), list 15 %,
 * check-out 15 % (held for a GET or two, then checked in, half the time with new content) until the deadline. A 409
 * on a document someone checked out is a normal answer; any other unexpected answer is a problem, and a GET whose
 * content was never PUT is a wrong content.
 */
final class LoadWorker implements Runnable {

    private final AppClient client;
    private final List<String> docs;
    private final Map<String, Set<String>> ledger;
    private final LoadStats stats;
    private final long deadline;
    private final Random random;

    LoadWorker(AppClient client, List<String> docs, Map<String, Set<String>> ledger, LoadStats stats, long deadline,
               long seed) {
        this.client = client;
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
                    timed("list", () -> client.get("/documents"), 200);
                } else {
                    checkoutCycle(doc);
                }
            } catch (IOException e) {
                stats.problem(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private interface Request {
        AppClient.Answer send() throws IOException, InterruptedException;
    }

    private AppClient.Answer timed(String kind, Request r, int... ok) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        AppClient.Answer a = r.send();
        stats.record(kind, a.status(), System.nanoTime() - t0);
        for (int s : ok) {
            if (a.status() == s) {
                return a;
            }
        }
        stats.problem(kind + " -> " + a.status() + " " + a.text());
        return a;
    }

    private void get(String doc) throws IOException, InterruptedException {
        AppClient.Answer a = timed("GET", () -> client.get(AppClient.doc(doc)), 200);
        if (a.status() == 200 && !ledger.get(doc).contains(sha256(a.body()))) {
            stats.wrongContent("WRONG CONTENT: GET " + doc + " returned " + a.body().length + " bytes never PUT");
        }
    }

    private void put(String doc) throws IOException, InterruptedException {
        byte[] body = content();
        ledger.get(doc).add(sha256(body)); // before it leaves: a GET may see it before the answer arrives
        timed("PUT", () -> client.put(AppClient.doc(doc), body), 200, 201, 409);
    }

    private void checkoutCycle(String doc) throws IOException, InterruptedException {
        AppClient.Answer co = timed("checkout", () -> client.post(AppClient.doc(doc) + "/checkout", new byte[0]),
                200, 409);
        if (co.status() != 200) {
            return;
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            get(doc);
        }
        byte[] body = random.nextBoolean() ? content() : new byte[0];
        if (body.length > 0) {
            ledger.get(doc).add(sha256(body));
        }
        timed("checkin", () -> client.post(AppClient.doc(doc) + "/checkin", body), 200);
    }

    private byte[] content() {
        byte[] b = new byte[1024 + random.nextInt(63 * 1024)];
        random.nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
