package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.uptime;

import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole benchmark in one run against one cluster (started by scripts/bench.sh): the data path of the four
 * implementations (C floor, Ceph's JNI binding, our binding, the adapter) at 1 and 4 threads, each in its own
 * process; the pool; crash recovery for 1, 8, 32, 64 stale sessions with RESET, and the NONE baseline; the latency
 * of handing a file one session keeps open to another (two mounts, one mount, the adapter, two JVMs); cluster
 * takeover of a SIGKILLed node with 1, 16, 64 slot sessions by two surviving adapters; the same operations and the
 * example app through one WildFly ({@link ServerBench}). Prints one
 * Markdown report (also written to {@code --out}).
 */
public final class BenchMain {

    private final BenchOptions options;
    private final Results results = new Results();
    private final Map<String, String> loads = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private BenchMain(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        runAll(args);
        System.exit(0); // the children's and libcephfs' non-daemon threads must not keep the harness alive
    }

    /** Runs what {@code args} asks for and writes the report; the smoke test calls this directly. */
    static void runAll(String[] args) throws Exception {
        Logger.getLogger("org.cephfsjca").setLevel(Level.WARNING);
        new BenchMain(BenchOptions.parse(args)).run();
    }

    private void run() throws Exception {
        Children children = new Children(options.childJvmArgs, options.logDir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String startLoad = uptime();
        log("start; " + startLoad);
        RecoveryBench recovery;
        HandoffBench handoff;
        TakeoverBench takeover;
        ServerBench server;
        try (BenchCluster cluster = new BenchCluster(BenchCluster.BASE + "/run-" + stamp)) {
            // the sequential files (256 MiB for 1 thread + 4 x 64 MiB) and the small files of the create benchmark
            long need = options.runs("datapath") ? 2L * (Long.parseLong(options.seqMib) << 20) + (400L << 20) : 0;
            cluster.prepare(need, options.runs("datapath"));
            recovery = new RecoveryBench(options, cluster, children, results, loads);
            handoff = new HandoffBench(options, cluster, children, results, loads);
            takeover = new TakeoverBench(options, cluster, children, results, loads);
            server = new ServerBench(options, cluster, results, loads);
            if (options.runs("datapath")) {
                dataPath(children, cluster.runDir);
            }
            if (options.runs("pool")) {
                pool(children);
            }
            if (options.runs("recovery")) {
                notes.add("session_autoclose of the file system: " + BenchCluster.sessionAutoclose()
                        + " s (`ceph fs get " + Env.fsName() + "`)");
                recovery.run();
            }
            if (options.runs("handoff")) {
                notes.add("mds_tick_interval of the MDS: " + BenchCluster.mdsTickInterval()
                        + " s (`ceph tell mds.* config get mds_tick_interval`)");
                handoff.run();
            }
            if (options.runs("takeover")) {
                takeover.run();
            }
            if (options.runs("server")) {
                server.run();
            }
        }
        String report = new BenchReport(options, results, loads, notes, recovery, handoff, takeover, server).render(startLoad, uptime());
        System.out.println();
        System.out.println(report);
        Files.createDirectories(options.out.toAbsolutePath().getParent());
        Files.writeString(options.out, report);
        log("report written to " + options.out.toAbsolutePath() + "; total " + BenchLog.totalSeconds() + " s");
    }

    /**
     * Rounds: every implementation runs once per round (its own process, fresh mounts), the order rotating from round
     * to round, and the repetitions of all rounds are pooled. On a shared machine whose load drifts, this spreads the
     * drift over all implementations instead of charging it to whichever ran during a busy minute.
     */
    private void dataPath(Children children, String runDir) throws Exception {
        List<String> impls = options.impls;
        java.util.Set<String> readBack = new java.util.HashSet<>();
        for (int round = 0; round < options.rounds; round++) {
            for (int threads : options.threadCounts) {
                for (int k = 0; k < impls.size(); k++) {
                    String impl = impls.get((k + round) % impls.size());
                    List<String> cmd = new ArrayList<>();
                    if (impl.equals("c")) {
                        cmd.add(options.cbench);
                    } else {
                        cmd.addAll(children.java(DataPathMain.class));
                        cmd.addAll(List.of("--impl", impl));
                    }
                    String name = impl + "-" + threads + "t-r" + (round + 1);
                    cmd.addAll(List.of("--conf", Env.conf(), "--fs", Env.fsName(),
                            "--root", runDir + "/" + name, "--list-dir", BenchCluster.LIST_DIR,
                            "--seq-dir", runDir + "/seq", "--threads", Integer.toString(threads),
                            "--fast-ms", options.fastMs, "--slow-ms", options.slowMs, "--warmup-ms", options.warmupMs,
                            "--slow-warmup-ms", options.slowWarmupMs, "--create-warmup-ms", options.createWarmupMs,
                            "--reps", options.reps,
                            "--seq-reps", options.seqReps, "--seq-mib", options.seqMib, "--ops", options.ops));
                    cmd.addAll(options.cephOptions.childArgs());
                    String load = uptime();
                    loads.put(name, load);
                    log("data path round " + (round + 1) + "/" + options.rounds + ": " + impl + ", " + threads
                            + " thread(s); " + load);
                    for (String line : children.run(name, cmd, 600)) {
                        String[] f = line.split("\t");
                        if (f.length == 6 && f[0].equals("RESULT")) {
                            results.append(BenchReport.key(f[2], Integer.parseInt(f[3]), f[1]), f[4],
                                    Results.parse(f[5]));
                        } else if (f.length == 3 && f[0].equals("CONF") && readBack.add(f[1])) {
                            notes.add("Ceph options read back (ceph_conf_get) from " + f[1] + "'s client: " + f[2]);
                        } else if (f.length == 6 && f[0].equals("CPU")) {
                            results.append(BenchReport.cpuKey(f[2], Integer.parseInt(f[3]), f[1]), f[4],
                                    Results.parse(f[5]));
                        }
                    }
                }
            }
        }
    }

    private void pool(Children children) throws Exception {
        String load = uptime();
        loads.put("pool", load);
        log("pool; " + load);
        List<String> cmd = new ArrayList<>(children.java(PoolMain.class));
        cmd.addAll(List.of(options.fastMs, "5"));
        cmd.addAll(options.cephOptions.childArgs());
        for (String line : children.run("pool", cmd, 300)) {
            String[] f = line.split("\t");
            if (f.length == 4 && f[0].equals("POOL")) {
                results.put("pool/" + f[1], f[2], Results.parse(f[3]));
            }
        }
    }
}
