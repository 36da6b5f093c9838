package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 11's load: {@code loadConnections} connections as 3 users for {@code loadSeconds}, LoadIT's mix on 24
 * documents (a Java client, {@link LoadWorker}: the mix needs per-request logic, check-out then check-in, and a
 * content check that wrk's Lua cannot do per connection). Results: {@code srv/load/<kind>} (ms per request),
 * {@link #requestsPerSecond}, the answers and problems.
 */
final class MixedLoad {

    private static final int DOCUMENTS = 24;

    private final ServerOptions opts;
    private final Results results;
    private final String apiUrl;
    private final List<WildFlyServer.User> users;
    LoadStats stats;
    double seconds;
    double requestsPerSecond;

    MixedLoad(ServerOptions opts, Results results, String apiUrl, List<WildFlyServer.User> users) {
        this.opts = opts;
        this.results = results;
        this.apiUrl = apiUrl;
        this.users = users;
    }

    void run() throws Exception {
        Map<String, Set<String>> ledger = new ConcurrentHashMap<>();
        List<String> docs = new ArrayList<>();
        AppClient first = new AppClient(apiUrl, users.get(0));
        for (int i = 0; i < DOCUMENTS; i++) {
            String name = "load/doc-" + i + ".bin";
            byte[] body = ("seed content of " + name).getBytes();
            ledger.computeIfAbsent(name, d -> ConcurrentHashMap.newKeySet()).add(LoadWorker.sha256(body));
            first.put(AppClient.doc(name), body).expect(200, 201);
            docs.add(name);
        }
        stats = new LoadStats();
        ExecutorService pool = Executors.newFixedThreadPool(opts.loadConnections, BenchLog.daemon("load"));
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(opts.loadSeconds);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < opts.loadConnections; i++) {
            AppClient client = new AppClient(apiUrl, users.get(i % users.size()));
            running.add(pool.submit(new LoadWorker(client, docs, ledger, stats, deadline, 11_000L + i)));
        }
        for (Future<?> f : running) {
            f.get(opts.loadSeconds + 180L, TimeUnit.SECONDS);
        }
        seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        requestsPerSecond = stats.millis("all").length / seconds;
        for (String kind : LoadStats.KINDS) {
            results.put("srv/load/" + kind, "ms", stats.millis(kind));
        }
        results.put("srv/load/all", "ms", stats.millis("all"));
        log(String.format(java.util.Locale.ROOT, "server: mixed load %d connections, %d users, %.1f s: %.0f req/s; "
                + "answers %s; %d 5xx, %d wrong contents", opts.loadConnections, users.size(), seconds,
                requestsPerSecond, stats.answers(), stats.serverErrors(), stats.wrongContents()));
    }
}
