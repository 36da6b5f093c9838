package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/**
 * Check-outs hold their locks outside the pool: more check-outs than the pool has connections leave every request
 * working and no connection in use; one user holds at most 20 (429 past that); and the scenario of issue 10: 20
 * documents uploaded, each checked out, then listed (all 20, checked out, right sizes), then checked in. The
 * uploads, check-outs and check-ins of many documents are made at once (many users' worth of them meet in the pool).
 */
class CheckoutIT extends ExampleAppClient {

    /** The app's default per-user limit (cephfs.example.checkouts.perUser). */
    static final int PER_USER = 20;
    private static final DocDir DIR = DocDir.create("checkout");
    private static final ExecutorService POOL = Threads.daemons("checkout-it");

    @Test
    void moreCheckoutsThanPooledConnectionsPinNone() throws Exception {
        Http user = Http.as(ItUsers.EDITOR2);
        int n = AdapterSetup.POOL_MAX + 4;
        List<String> held = new ArrayList<>();
        try (Mgmt mgmt = Mgmt.connect()) {
            List<Http.Resp[]> made = inParallel(n, i -> {
                String url = DIR.url("pin-" + i + ".txt");
                Http.Resp put = user.doPut(url, "doc " + i);
                return new Http.Resp[] {put, put.status() == 201 ? user.doPost(url + "/checkout") : null};
            });
            for (int i = 0; i < n; i++) {
                Http.Resp co = made.get(i)[1];
                if (co != null && co.status() == 200) { // checked in below, whatever fails
                    held.add(DIR.url("pin-" + i + ".txt"));
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(201, made.get(i)[0].status(), "upload " + i + ": " + made.get(i)[0]);
                assertEquals(200, made.get(i)[1].status(), "check-out " + i + ": " + made.get(i)[1]);
            }
            Map<String, Long> pool = mgmt.poolStatistics();
            assertEquals(0L, pool.get("InUseCount"), n + " check-outs held: " + pool);
            // every kind of request still works, at once
            long t0 = System.nanoTime();
            assertEquals(200, user.doGet("/documents").status());
            assertEquals("doc 0", user.doGet(DIR.url("pin-0.txt")).body());
            assertEquals(201, user.doPut(DIR.url("pin-extra.txt"), "x").status());
            assertEquals(204, user.doDelete(DIR.url("pin-extra.txt")).status());
            long ms = (System.nanoTime() - t0) / 1_000_000; // a pool exhausted would have answered 503 above
            System.out.printf("[it] %d check-outs held (pool max %d): pool %s; list+get+put+delete %d ms%n", n,
                    AdapterSetup.POOL_MAX, pool, ms);
        } finally {
            for (Http.Resp in : inParallel(held.size(), i -> user.doPost(held.get(i) + "/checkin"))) {
                assertEquals(200, in.status(), in.toString());
            }
        }
    }

    @Test
    void oneUserHoldsAtMostTwentyCheckouts() {
        Http user = Http.as(ItUsers.EDITOR);
        List<String> held = new ArrayList<>();
        try {
            for (Http.Resp put : inParallel(PER_USER + 1, i -> user.doPut(DIR.url("limit-" + i + ".txt"), "x"))) {
                assertEquals(201, put.status(), put.toString());
            }
            List<Http.Resp> out = inParallel(PER_USER, i -> user.doPost(DIR.url("limit-" + i + ".txt") + "/checkout"));
            for (int i = 0; i < PER_USER; i++) {
                if (out.get(i).status() == 200) {
                    held.add(DIR.url("limit-" + i + ".txt"));
                }
            }
            for (int i = 0; i < PER_USER; i++) {
                assertEquals(200, out.get(i).status(), "check-out " + i + ": " + out.get(i));
            }
            Http.Resp over = user.doPost(DIR.url("limit-" + PER_USER + ".txt") + "/checkout");
            assertEquals(429, over.status(), over.toString());
            assertEquals("too-many-checkouts", over.error());
            // the limit is per user: another user may
            Http other = Http.as(ItUsers.EDITOR2);
            assertEquals(200, other.doPost(DIR.url("limit-" + PER_USER + ".txt") + "/checkout").status());
            assertEquals(200, other.doPost(DIR.url("limit-" + PER_USER + ".txt") + "/checkin").status());
            // and after a check-in the first user may again
            assertEquals(200, user.doPost(held.remove(0) + "/checkin").status());
            Http.Resp now = user.doPost(DIR.url("limit-" + PER_USER + ".txt") + "/checkout");
            assertEquals(200, now.status(), now.toString());
            held.add(DIR.url("limit-" + PER_USER + ".txt"));
        } finally {
            inParallel(held.size(), i -> user.doPost(held.get(i) + "/checkin"));
        }
    }

    /** Issue 10's scenario: no timing assertion, the listing must be right. */
    @Test
    void twentyDocumentsUploadedCheckedOutListedCheckedIn() {
        Http user = Http.as(ItUsers.ADMIN);
        int n = 20;
        List<Http.Resp[]> made = inParallel(n, i -> {
            Http.Resp put = user.doPut(DIR.url("scenario/doc-" + i + ".txt"), "x".repeat(100 + i));
            return new Http.Resp[] {put, put.status() == 201
                    ? user.doPost(DIR.url("scenario/doc-" + i + ".txt") + "/checkout") : null};
        });
        for (int i = 0; i < n; i++) {
            assertEquals(201, made.get(i)[0].status(), "upload " + i + ": " + made.get(i)[0]);
            assertEquals(200, made.get(i)[1].status(), "check-out " + i + ": " + made.get(i)[1]);
        }
        long t0 = System.nanoTime();
        Http.Resp list = user.doGet("/documents");
        long listMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, list.status(), list.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> docs = (List<Map<String, Object>>) list.json();
        String prefix = DIR.dir() + "/scenario/";
        List<Map<String, Object>> mine = docs.stream().filter(d -> d.get("name").toString().startsWith(prefix))
                .toList();
        assertEquals(n, mine.size(), "all 20 listed: " + mine);
        for (int i = 0; i < n; i++) {
            String name = prefix + "doc-" + i + ".txt";
            Map<String, Object> d = mine.stream().filter(m -> name.equals(m.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not listed"));
            assertEquals(100L + i, ((Number) d.get("size")).longValue(), d.toString());
            assertEquals(Boolean.TRUE, d.get("checkedOut"), d.toString());
            assertEquals(ItUsers.ADMIN.name(), d.get("checkedOutBy"), d.toString());
        }
        System.out.printf("[it] issue-10 scenario: list of %d documents (20 checked out) in %d ms%n", docs.size(),
                listMs);
        List<Http.Resp> ins = inParallel(n, i -> user.doPost(DIR.url("scenario/doc-" + i + ".txt") + "/checkin"));
        for (int i = 0; i < n; i++) {
            assertEquals(200, ins.get(i).status(), "check-in " + i + ": " + ins.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> after = (List<Map<String, Object>>) user.doGet("/documents").json();
        assertTrue(after.stream().filter(d -> d.get("name").toString().startsWith(prefix))
                .noneMatch(d -> Boolean.TRUE.equals(d.get("checkedOut"))), after.toString());
    }

    /** {@code task(0..n-1)}, all at once; their results in order (each within 120 s). */
    private static <T> List<T> inParallel(int n, IntFunction<T> task) {
        List<Future<T>> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            running.add(POOL.submit(() -> task.apply(k)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : running) {
            try {
                out.add(f.get(120, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("a parallel request failed: " + e, e);
            }
        }
        return out;
    }
}
