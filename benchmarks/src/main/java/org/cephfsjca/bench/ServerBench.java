package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.uptime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.cephfsjca.api.DirEntry;

/**
 * The server part ({@code --parts server}): one WildFly with the adapter, the example app and the bench deployment
 * ({@link WildFlyServer}), then, in one run: operations timed inside the server against Java SE
 * ({@link ServerOpsBench}), issue 10's 20-document listing ({@link DocScenario}), HTTP GET/PUT with wrk
 * ({@link WrkBench}), issue 11's mixed load ({@link MixedLoad}) and large I/O ({@link LargeIo}). The server is stopped
 * before the cluster clean-up (which resets any benchmark session left).
 */
final class ServerBench {

    /** A data-path run's directory under the run directory: {@code <impl>-<threads>t-r<round>} (BenchMain). */
    private static final Pattern DATA_PATH_RUN = Pattern.compile("[a-z]+-\\d+t-r\\d+");

    private final BenchOptions options;
    private final ServerOptions opts;
    private final BenchCluster cluster;
    private final Results results;
    private final Map<String, String> loads;
    private final List<String> facts = new ArrayList<>();
    private WrkBench wrk;
    private MixedLoad load;
    private LargeIo large;

    ServerBench(BenchOptions options, BenchCluster cluster, Results results, Map<String, String> loads) {
        this.options = options;
        this.opts = options.server;
        this.cluster = cluster;
        this.results = results;
        this.loads = loads;
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        String nodeId = BenchAdapter.freshNodeId("srv");
        List<WildFlyServer.User> users = List.of(user("bench-load-1", "editor,bench"), user("bench-load-2", "editor"),
                user("bench-load-3", "editor"));
        String root = cluster.runDir + "/server";
        Path work = options.logDir.toAbsolutePath().getParent().resolve("bench-server");
        step("server boot");
        try (WildFlyServer wf = new WildFlyServer(work, options.logDir, nodeId, opts.portOffset)) {
            wf.provision(users);
            wf.start(opts.heap, opts.jvmArgs, List.of("cephfs.example.root=" + root + "/app",
                    "cephfs.bench.root=" + root + "/ops"));
            List<String> adapter = new ArrayList<>(List.of("ceph.conf=" + Env.conf(), "ceph.fs.name=" + Env.fsName(),
                    "ceph.node.id=" + nodeId, "ceph.takeover.ms=0")); // measured alone, as BenchAdapter does
            if (options.leaseIntervalMs != null) {
                adapter.add("ceph.lease.interval.ms=" + options.leaseIntervalMs);
            }
            wf.deploy(adapter);
            wf.awaitUsers();
            facts.add("WildFly " + wf.version() + " (wildfly-dist), heap " + opts.heap + ", http " + wf.httpPort()
                    + ", node " + nodeId + "; adapter by configure-adapter.cli with its defaults (pool max 8, "
                    + "session slots 16, use-ccm=true) but takeover off; the example app's defaults (uploads 3 and "
                    + "downloads 3 at once); provisioned, booted and deployed in " + BenchLog.secondsSince(t0) + " s");
            String api = wf.url("/cephfs-jca-example/api");
            AppClient app = new AppClient(api, users.get(0));
            if (opts.runs("ops")) {
                step("server ops");
                new ServerOpsBench(opts, results, new AppClient(wf.url("/cephfs-jca-bench"), users.get(0)),
                        root + "/se", options.leaseIntervalMs).run();
            }
            if (opts.runs("listing")) {
                step("server listing");
                new DocScenario(opts, results, app).run();
            }
            if (opts.runs("http")) {
                step("server http");
                wrk = new WrkBench(opts, results, app, api, AppClient.basic(users.get(0)), options.logDir);
                wrk.run();
            }
            if (opts.runs("load")) {
                step("server load");
                load = new MixedLoad(opts, results, api, users);
                load.run();
            }
            if (opts.runs("large") && opts.largeMib > 0) {
                step("server large");
                large = new LargeIo(options, results, api, users.get(0), work, wf.jvm(), root + "/se-large",
                        () -> cluster.admin.statfs("/").availableBytes());
                large.run(spaceForLargeIo((long) opts.largeMib << 20));
            }
        }
        log("server part: " + BenchLog.secondsSince(t0) + " s");
    }

    /**
     * The space left for large I/O: on the 2 GiB test cluster a full run's data-path files (its sequential files,
     * hundreds of MiB, and each data-path run's created files and 1 MiB files) would leave too little, and the server
     * part runs after the data path: those go first.
     */
    private long spaceForLargeIo(long need) throws Exception {
        long have = cluster.admin.statfs("/").availableBytes();
        if (have >= need + LargeIo.SLACK) {
            return have;
        }
        long strays = BenchCluster.PurgeState.read().strays();
        long n = 0;
        List<String> gone = new ArrayList<>();
        for (DirEntry e : cluster.admin.list(cluster.runDir)) {
            if (e.name().equals("seq") || DATA_PATH_RUN.matcher(e.name()).matches()) {
                n += BenchCluster.deleteTree(cluster.admin, cluster.runDir + "/" + e.name());
                gone.add(e.name());
            }
        }
        log("server: deleted the data path's " + n + " file(s) (" + String.join(", ", gone)
                + ") to make room for large I/O");
        long t0 = System.nanoTime();
        // the MDS purges deleted files in the background; the deleted directories may stay strays (cached by the admin
        // client that deleted them, holding no data)
        String left = BenchCluster.awaitPurged(strays + gone.size(), 300_000);
        if (left != null) {
            log("server: the MDS has not purged the data path's files after 300 s (" + left + ")");
        }
        have = BenchCluster.awaitAvailable(() -> cluster.admin.statfs("/").availableBytes(), need + LargeIo.SLACK,
                60_000);
        log("server: " + (have >> 20) + " MiB available after " + BenchLog.secondsSince(t0) + " s");
        return have;
    }

    private void step(String name) {
        String load = uptime();
        loads.put(name, load);
        log(name + "; " + load);
    }

    /** A user with a fresh random password (the server is this run's only; the password is never logged). */
    private static WildFlyServer.User user(String name, String roles) {
        return new WildFlyServer.User(name, "Bn-" + UUID.randomUUID().toString().replace("-", "") + "-9!", roles);
    }

    void render(PrintWriter o) {
        new ServerReport(opts, results, facts, wrk, load, large).render(o);
    }
}
