package org.cephfsjca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The harness's command-line options (see BENCHMARKS.md, "Rerun"), with the defaults of a full run. */
final class BenchOptions {

    static final List<String> ALL_IMPLS = List.of("c", "jni", "binding", "adapter");

    String cbench;
    List<Integer> threadCounts = List.of(1, 4);
    List<String> impls = ALL_IMPLS;
    List<String> parts = List.of("datapath", "pool", "recovery", "handoff", "takeover", "server");
    List<Integer> recoverySizes = List.of(1, 8, 32, 64);
    int recoveryReps = 3;
    int noneSize = 8;
    int noneCapSeconds = 30;
    int rounds = 3;
    Integer leaseIntervalMs;
    List<Integer> takeoverSizes = List.of(1, 16, 64);
    int takeoverReps = 3;
    int takeoverBaselineSize = 16;
    int takeoverCapSeconds = 20;
    /** takeoverAfterMillis of the takeover benchmark's adapters, or null for AdapterConfig's recommended value. */
    Integer takeoverAfterMs;
    /**
     * Configurations of the victim: watching its peers too (takeoverAfterMillis set on it as on the survivors, as in a
     * cluster where every node has the same settings) and/or not (takeover off on the victim only).
     */
    List<Boolean> takeoverVictimWatches = List.of(false, true);
    int handoffs = 200;
    int handoffBatch = 50;
    String ops = "noop,create,stat,read4k,lock,list,seq64k,seq4m";
    String fastMs = "400";
    String slowMs = "500";
    String warmupMs = "500";
    String slowWarmupMs = "1500";
    /**
     * create's warm-up: after 1.5 s the adapter's create still cost +51 µs of CPU over the binding's (the JIT compiler
     * thread held 48 % of a profile's samples); after 5 s, +1.1 µs (one run each of --ops create, 2026-12-02).
     */
    String createWarmupMs = "5000";
    String reps = "2";
    String seqReps = "2";
    String seqMib = "256";
    List<String> childJvmArgs = List.of();
    Path out = Path.of("target/bench-results.md");
    Path logDir = Path.of("target/bench-logs");
    /** Ceph options for every implementation alike (the adapter's defaults, CEPH_ARGS, --ceph-option). */
    final CephOptions cephOptions = new CephOptions();
    /** The server part's options ({@code --server-*}). */
    final ServerOptions server = new ServerOptions();

    boolean runs(String part) {
        return parts.contains(part);
    }

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        o.cephOptions.addArgs(System.getenv("CEPH_ARGS")); // libcephfs ignores it unless asked: the harness asks
        for (int i = 0; i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[i + 1];
            switch (a) {
                case "--cbench" -> o.cbench = v;
                case "--threads" -> o.threadCounts = ints(v);
                case "--impls" -> o.impls = List.of(v.split(","));
                case "--parts" -> o.parts = List.of(v.split(","));
                case "--recovery-sizes" -> o.recoverySizes = ints(v);
                case "--none-size" -> o.noneSize = Integer.parseInt(v);
                case "--recovery-reps" -> o.recoveryReps = Integer.parseInt(v);
                case "--none-cap-seconds" -> o.noneCapSeconds = Integer.parseInt(v);
                case "--rounds" -> o.rounds = Integer.parseInt(v);
                case "--lease-interval-ms" -> o.leaseIntervalMs = Integer.valueOf(v);
                case "--takeover-sizes" -> o.takeoverSizes = ints(v);
                case "--takeover-reps" -> o.takeoverReps = Integer.parseInt(v);
                case "--takeover-baseline-size" -> o.takeoverBaselineSize = Integer.parseInt(v);
                case "--takeover-cap-seconds" -> o.takeoverCapSeconds = Integer.parseInt(v);
                case "--takeover-after-ms" -> o.takeoverAfterMs = Integer.valueOf(v);
                case "--takeover-victim-watches" -> o.takeoverVictimWatches = Arrays.stream(v.split(","))
                        .map(x -> switch (x) {
                            case "yes", "true" -> true;
                            case "no", "false" -> false;
                            default -> throw new IllegalArgumentException("--takeover-victim-watches: no, yes or no,yes");
                        }).toList();
                case "--handoffs" -> o.handoffs = Integer.parseInt(v);
                case "--handoff-batch" -> o.handoffBatch = Integer.parseInt(v);
                case "--ops" -> o.ops = v;
                case "--fast-ms" -> o.fastMs = v;
                case "--slow-ms" -> o.slowMs = v;
                case "--warmup-ms" -> o.warmupMs = v;
                case "--slow-warmup-ms" -> o.slowWarmupMs = v;
                case "--create-warmup-ms" -> o.createWarmupMs = v;
                case "--reps" -> o.reps = v;
                case "--seq-reps" -> o.seqReps = v;
                case "--seq-mib" -> o.seqMib = v;
                case "--child-jvm-args" -> o.childJvmArgs = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--out" -> o.out = Path.of(v);
                case "--log-dir" -> o.logDir = Path.of(v);
                case "--ceph-option" -> o.cephOptions.add(v);
                default -> {
                    if (!o.server.set(a, v)) {
                        throw new IllegalArgumentException("unknown argument " + a);
                    }
                }
            }
        }
        if (o.impls.contains("c") && o.runs("datapath") && (o.cbench == null || !Files.isExecutable(Path.of(o.cbench)))) {
            throw new IllegalArgumentException("--cbench must name the compiled C program (scripts/bench.sh builds it)");
        }
        if (o.handoffs < 1 || o.handoffBatch < 1) {
            throw new IllegalArgumentException("--handoffs and --handoff-batch must be at least 1");
        }
        return o;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }
}
