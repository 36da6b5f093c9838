package org.cephfsjca.it.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.as.arquillian.api.ServerSetup;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;

import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.it.ServerLog;

/**
 * Load against the running server: {@code it.load.connections} (32) connections as 3 users for
 * {@code it.load.seconds} (30 s), a mix of GET, PUT, list, check-out and check-in on 24 documents, with the default
 * limits but a longer wait of uploads for a place ({@link LoadSetup}). Asserted: no 5xx
 * (so reads never met an exhausted pool), no GET whose content was never PUT, no answer the mix cannot explain, and
 * no stack trace in server.log. Throughput and latencies are printed, not asserted (docs/example-app.md has them).
 */
@ServerSetup(LoadSetup.class)
class LoadIT extends ExampleAppClient {

    private static final int DOCUMENTS = 24;
    private static final DocDir DIR = DocDir.create("load");

    @Test
    void mixedLoadOf32ConnectionsAnd3Users() throws Exception {
        int connections = Integer.getInteger("it.load.connections", 32);
        int seconds = Integer.getInteger("it.load.seconds", 30);
        long seed = Long.getLong("it.load.seed", System.nanoTime());
        Ledger ledger = new Ledger();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            String name = DIR.name("doc-" + i + ".bin");
            byte[] body = ("seed content of " + name).getBytes();
            ledger.willPut(name, Worker.sha256(body));
            assertEquals(201, Http.put("/documents/" + name, body).status());
            docs.add(name);
        }
        assertEquals((long) LoadSetup.UPLOAD_WAIT_MS, Json.num(Http.get("/status").json(), "limits",
                "uploads", "waitMillis"), "the load's upload wait");
        Stats stats = new Stats();
        ServerLog log = ServerLog.mark();
        List<String> mdsBefore = Ceph.mdsGids();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ItUsers.User user = ItUsers.LOAD.get(i % ItUsers.LOAD.size());
            running.add(pool.submit(new Worker(i, user, docs, ledger, stats, deadline, seed + i)));
        }
        for (Future<?> f : running) {
            f.get(seconds + 180L, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Map<String, Long> poolStats;
        try (Mgmt mgmt = Mgmt.connect()) {
            poolStats = mgmt.poolStatistics();
        }
        System.out.printf("[it] LOAD (seed %d): %d connections, %d users, %.1f s, %d requests, %.0f requests/s%n%s%n"
                        + "[it] LOAD answers: %s%n[it] LOAD pool after: %s%n", seed, connections,
                ItUsers.LOAD.size(), elapsed, stats.total(), stats.total() / elapsed, stats.report(elapsed),
                stats.answers(), poolStats);

        List<String> mdsAfter = Ceph.mdsGids();
        String mds = mdsBefore.equals(mdsAfter) ? "" : " -- the MDS restarted during the load (gids " + mdsBefore
                + " -> " + mdsAfter + "; another suite restarts it): calls waited for it, uploads filled their places";
        assertEquals(0, stats.serverErrors(), "5xx answers: " + stats.answers() + "; " + stats.problems() + mds);
        assertEquals(List.of(), stats.problems(), "load.seed=" + seed + mds);
        for (String op : List.of("GET", "PUT", "list", "checkout", "checkin")) {
            assertTrue(stats.count(op) > 0, "the mix ran " + op + ": " + stats.answers());
        }
        assertEquals(List.of(), log.stackTraceLines(), "no stack trace in server.log");
        assertEquals(0L, poolStats.get("InUseCount"), "every connection back in the pool: " + poolStats);
        @SuppressWarnings("unchecked")
        List<Object> held = (List<Object>) Json.at(Http.get("/status").json(), "checkouts");
        assertEquals(List.of(), held, "every check-out checked in");
    }
}
