package org.cephfsjca.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cephfsjca.libcephfs.CephMount;

/**
 * The run's Markdown report: the data-path tables (throughput with ratios, then calling-thread CPU per operation),
 * the pool, crash recovery, hand-off latency, cluster takeover, the targets met or missed, and the load while
 * measuring.
 */
final class BenchReport {

    private static final Map<String, String> IMPL_TITLES = Map.of(
            "c", "(a) C libcephfs", "jni", "(b) Ceph JNI", "binding", "(c) our binding", "adapter", "(d) adapter");
    private static final String[][] DATA_OPS = {
        {"noop", "one trivial native call, the floor (ceph_get_stripe_unit_granularity; (d): the binding's guarded call on the adapter's gated, watched session)", "ops/s"},
        {"create", "create + write 4 KiB + close", "ops/s"},
        {"stat", "stat of an existing file", "ops/s"},
        {"read4k", "4 KiB positional read, cached", "ops/s"},
        {"lock", "lock + unlock (open, flock EX/NB, flock UN, close)", "ops/s"},
        {"list", "list a 10,000-entry directory", "ops/s"},
        {"seqwrite-64k", "sequential write 256 MiB, 64 KiB buffers (+fsync)", "MiB/s"},
        {"seqread-64k", "sequential read 256 MiB, 64 KiB buffers", "MiB/s"},
        {"seqwrite-4m", "sequential write 256 MiB, 4 MiB buffers (+fsync)", "MiB/s"},
        {"seqread-4m", "sequential read 256 MiB, 4 MiB buffers", "MiB/s"},
    };

    private final BenchOptions options;
    private final Results results;
    private final Map<String, String> loads;
    private final List<String> notes;
    private final RecoveryBench recovery;
    private final HandoffBench handoff;
    private final TakeoverBench takeover;
    private final ServerBench server;

    BenchReport(BenchOptions options, Results results, Map<String, String> loads, List<String> notes,
                RecoveryBench recovery, HandoffBench handoff, TakeoverBench takeover, ServerBench server) {
        this.options = options;
        this.results = results;
        this.loads = loads;
        this.notes = notes;
        this.recovery = recovery;
        this.handoff = handoff;
        this.takeover = takeover;
        this.server = server;
    }

    /** Data-path results are keyed {@code dp/<op>/<threads>/<impl>}. */
    static String key(String op, int threads, String impl) {
        return "dp/" + op + "/" + threads + "/" + impl;
    }

    /** Calling-thread CPU per operation is keyed {@code cpu/<op>/<threads>/<impl>}. */
    static String cpuKey(String op, int threads, String impl) {
        return "cpu/" + op + "/" + threads + "/" + impl;
    }

    String render(String startLoad, String endLoad) {
        StringWriter sw = new StringWriter();
        PrintWriter o = new PrintWriter(sw);
        o.println("## Results " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        o.println();
        o.println("Machine: " + machine());
        o.println("Load (`uptime`): at start " + startLoad + "; at end " + endLoad
                + ". The machine is shared: see the load per step below.");
        o.println("Options: rounds " + options.rounds + ", threads " + options.threadCounts + ", reps per round " + options.reps + " (sequential "
                + options.seqReps + "), rep " + options.fastMs + " ms (stat, read4k) / " + options.slowMs + " ms (others), warm-up " + options.warmupMs
                + " ms (lock, list: " + options.slowWarmupMs + " ms; create: " + options.createWarmupMs
                + " ms), sequential " + options.seqMib
                + " MiB per repetition (split over the threads).");
        o.println("Ceph options, the same for every implementation (C: ceph_conf_set after reading ceph.conf; JNI:"
                + " conf_set; binding: setOption; adapter: cephOptions): " + CephOptions.describe(options.cephOptions.asMap())
                + ". By default the adapter's own defaults (libcephfs' in-memory debug logs off); CEPH_ARGS and"
                + " --ceph-option name=value change them.");
        o.println();
        if (options.runs("datapath")) {
            o.println("### Data path");
            o.println();
            o.println("Median of the repetitions [min–max]; ops/s or MiB/s summed over the threads; one mount (or "
                    + "pooled connection) per thread. Ratios are of medians (higher = faster).");
            o.println();
            o.print("| operation | thr |");
            for (String impl : options.impls) {
                o.print(" " + IMPL_TITLES.get(impl) + " |");
            }
            o.println(" c/a | d/a | c/b | d/c |");
            o.print("|---|---|");
            options.impls.forEach(i -> o.print("---|"));
            o.println("---|---|---|---|");
            for (String[] op : DATA_OPS) {
                for (int t : options.threadCounts) {
                    o.print("| " + op[1] + " (" + op[2] + ") | " + t + " |");
                    for (String impl : options.impls) {
                        o.print(" " + Results.cell(results.get(key(op[0], t, impl))) + " |");
                    }
                    Results.Series a = results.get(key(op[0], t, "c"));
                    Results.Series b = results.get(key(op[0], t, "jni"));
                    Results.Series c = results.get(key(op[0], t, "binding"));
                    Results.Series d = results.get(key(op[0], t, "adapter"));
                    o.println(" " + Results.ratio(c, a) + " | " + Results.ratio(d, a) + " | " + Results.ratio(c, b)
                            + " | " + Results.ratio(d, c) + " |");
                }
            }
            o.println();
            o.println("CPU time of the calling thread(s) per operation (µs; µs per MiB for the sequential rows), "
                    + "median. This excludes libcephfs' own threads (messenger, log), which are the same for every "
                    + "implementation, and it is much less sensitive to other processes' load than throughput: the "
                    + "differences are the cost of each binding's own call path.");
            o.println();
            o.print("| operation | thr |");
            for (String impl : options.impls) {
                o.print(" " + IMPL_TITLES.get(impl) + " |");
            }
            o.println(" c−a | d−c | b−a |");
            o.print("|---|---|");
            options.impls.forEach(i -> o.print("---|"));
            o.println("---|---|---|");
            for (String[] op : DATA_OPS) {
                for (int t : options.threadCounts) {
                    o.print("| " + op[0] + " | " + t + " |");
                    for (String impl : options.impls) {
                        Results.Series x = results.get(cpuKey(op[0], t, impl));
                        o.print(" " + (x == null ? "n/a" : Results.num(x.median(), "us")) + " |");
                    }
                    o.println(" " + diff(cpuKey(op[0], t, "binding"), cpuKey(op[0], t, "c")) + " | "
                            + diff(cpuKey(op[0], t, "adapter"), cpuKey(op[0], t, "binding")) + " | "
                            + diff(cpuKey(op[0], t, "jni"), cpuKey(op[0], t, "c")) + " |");
                }
            }
            o.println();
        }
        if (options.runs("pool")) {
            o.println("### Pool");
            o.println();
            o.println("| measure | median | min–max |");
            o.println("|---|---|---|");
            poolRow(o, "getclose-warm-1t", "connection get + close, warm pool, 1 thread");
            poolRow(o, "getclose-warm-4t", "connection get + close, warm pool, 4 threads (per call)");
            poolRow(o, "getclose-warm-1t-cpu", "CPU time of the JVM (GC included) per get + close, 1 thread");
            poolRow(o, "getclose-warm-4t-cpu", "CPU time of the JVM (GC included) per get + close, 4 threads");
            poolRow(o, "fresh-mount", "fresh session, our binding: create + conf + init + mount");
            poolRow(o, "fresh-unmount", "fresh session, our binding: unmount + release");
            poolRow(o, "adapter-cold-get", "adapter getConnection with an empty pool (init + slot reset + mount)");
            poolRow(o, "adapter-destroy", "adapter: close + destroy that session (unmount + release)");
            o.println();
        }
        if (options.runs("recovery")) {
            o.println("### Crash recovery");
            o.println();
            o.println("A child JVM runs the adapter with sessionSlots = N, takes N connections, writes + fsyncs one file "
                    + "through each and locks it, and is SIGKILLed. Then a new CephResourceAdapter for the same node "
                    + "starts; another client (already mounted) opens and tries to lock every file from that moment.");
            o.println();
            o.println("| stale sessions | mode | runs | adapter start (recovery), median [min–max] | every lock obtainable "
                    + "(from start), median [min–max] | child set-up (not timed) |");
            o.println("|---|---|---|---|---|---|");
            List<String> done = new ArrayList<>();
            for (RecoveryBench.Run r : recovery.runs()) {
                String k = r.mode() + "/" + r.n();
                if (done.contains(k)) {
                    continue;
                }
                done.add(k);
                Results.Series st = results.get("rec/" + k + "/start");
                Results.Series al = results.get("rec/" + k + "/all");
                Results.Series su = results.get("rec/" + k + "/setup");
                o.println("| " + r.n() + " | " + r.mode() + " | " + st.values().length + " | " + Results.cell(st)
                        + " ms | " + (al != null ? Results.cell(al) + " ms" : recovery.capped().get(k)) + " | "
                        + Results.cell(su) + " ms |");
            }
            o.println();
            o.println("Each run's recovery report (the adapter's own log line; its time covers the resets, not the owner "
                    + "check before them):");
            o.println();
            for (RecoveryBench.Run r : recovery.runs()) {
                o.println("- " + r.n() + " " + r.mode() + ": start " + r.startMs() + ", all locks " + r.allLocks()
                        + "; " + r.report());
            }
            o.println();
        }
        if (options.runs("handoff")) {
            handoff(o);
        }
        if (options.runs("takeover")) {
            takeover.render(o);
        }
        if (options.runs("server")) {
            server.render(o);
        }
        if (options.runs("datapath") || options.runs("recovery") || options.runs("pool")) {
            o.println("### Targets");
            o.println();
            targets(o);
            o.println();
        }
        o.println("### Load while measuring");
        o.println();
        o.println("1-minute load average (`uptime`) when each step started, min–max over its steps (2 cores: above 2 "
                + "means other processes were competing for the CPU; per-step values are in the log):");
        o.println();
        Map<String, double[]> byGroup = new LinkedHashMap<>();
        loads.forEach((k, v) -> {
            String group = k.replaceFirst("-r\\d+$", "").replaceFirst(" \\d+ (RESET|NONE)$", "");
            double l = Double.parseDouble(v.replaceAll("^load average ([0-9.]+),.*$", "$1"));
            byGroup.merge(group, new double[] {l, l}, (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        });
        byGroup.forEach((k, v) -> o.println("- " + k + ": " + String.format(Locale.ROOT, v[0] == v[1] ? "%.2f" : "%.2f–%.2f",
                v[0], v[1])));
        for (String n : notes) {
            o.println("- " + n);
        }
        o.flush();
        return sw.toString();
    }

    private void handoff(PrintWriter o) {
        int batches = (options.handoffs + options.handoffBatch - 1) / options.handoffBatch;
        o.println("### Hand-off latency");
        o.println();
        int cores = Runtime.getRuntime().availableProcessors();
        o.println("H creates a file, writes 4 KiB, closes it, re-opens it O_RDONLY and keeps it open (with an "
                + "exclusive flock in the second variant; the adapter keeps an unread `newInputStream`, or holds "
                + "`lock(path, EXCLUSIVE, timeout)`); then R stats it (stat) and opens and reads it whole "
                + "(open+read: `readAllBytes` in the adapter); then H closes it. " + options.handoffs
                + " hand-offs per row and variant, a fresh file each, in " + batches + " concurrent batch(es) of up "
                + "to " + options.handoffBatch + ": H holds the whole batch, then R measures it with one thread per "
                + "file, all starting together, so a stalled batch costs about one MDS tick, not one per file. Every "
                + "row uses the same batching, so the rows compare like with like; the latencies include the batch's "
                + "concurrency (up to " + options.handoffBatch + " threads on " + cores + " cores). Milliseconds; "
                + "the last column is this row's p99 over the one-shared-mount row's, same variant.");
        o.println();
        o.println("| implementation | H keeps | stat p50 | stat p99 | stat max | open+read p50 | open+read p99 "
                + "| open+read max | p99 / one shared mount (stat, open+read) |");
        o.println("|---|---|---|---|---|---|---|---|---|");
        for (String[] row : HandoffRow.ROWS) {
            for (String[] v : HandoffBench.VARIANTS) {
                o.print("| " + row[1] + " | " + v[1] + " |");
                String failed = handoff.failures().get(row[0]);
                Results.Series stat = results.get(HandoffBench.key(row[0], v[0], "stat"));
                Results.Series read = results.get(HandoffBench.key(row[0], v[0], "read"));
                if (stat == null) {
                    o.println(" " + (failed == null ? "not measured" : "FAILED: " + failed.replace('|', '/'))
                            + " | | | | | | |");
                    continue;
                }
                for (Results.Series s : List.of(stat, read)) {
                    o.print(" " + ms(s.percentile(50)) + " | " + ms(s.percentile(99)) + " | " + ms(s.max()) + " |");
                }
                o.println(" " + p99Ratio(stat, HandoffBench.key(HandoffRow.BASELINE, v[0], "stat")) + ", "
                        + p99Ratio(read, HandoffBench.key(HandoffRow.BASELINE, v[0], "read")) + " |");
            }
        }
        o.println();
    }

    private String p99Ratio(Results.Series s, String baselineKey) {
        Results.Series b = results.get(baselineKey);
        return b == null ? "n/a" : String.format(Locale.ROOT, "%.1fx", s.percentile(99) / b.percentile(99));
    }

    /** Milliseconds with about three significant digits (hand-offs range from µs to seconds). */
    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 1 ? "%.3f" : v < 10 ? "%.2f" : v < 100
                ? "%.1f" : "%.0f", v);
    }

    private void poolRow(PrintWriter o, String name, String title) {
        Results.Series s = results.get("pool/" + name);
        if (s == null) {
            o.println("| " + title + " | n/a | |");
            return;
        }
        o.println("| " + title + " | " + Results.num(s.median(), s.unit()) + " " + unitLabel(s.unit()) + " | "
                + Results.num(s.min(), s.unit()) + "–" + Results.num(s.max(), s.unit()) + " |");
    }

    private static String unitLabel(String unit) {
        return unit.equals("us") ? "µs" : unit;
    }

    private void targets(PrintWriter o) {
        o.println("| target | result |");
        o.println("|---|---|");
        if (options.runs("datapath")) {
            // Issue 16's targets, then the older ones that still hold as goals.
            targetRow(o, "stat and read4k: binding >= 0.95x C", new String[] {"stat", "read4k"}, "binding", "c", 0.95);
            targetRow(o, "stat and read4k: binding >= JNI", new String[] {"stat", "read4k"}, "binding", "jni", 1.0);
            targetRow(o, "listing: binding >= 0.9x C", new String[] {"list"}, "binding", "c", 0.9);
            String[] seq = {"seqwrite-64k", "seqread-64k", "seqwrite-4m", "seqread-4m"};
            targetRow(o, "sequential large I/O: adapter >= 0.9x C", seq, "adapter", "c", 0.9);
            String[] all = Arrays.stream(DATA_OPS).map(op -> op[0]).toArray(String[]::new);
            targetRow(o, "adapter within 5% of the binding", all, "adapter", "binding", 0.95);
            targetRow(o, "binding >= JNI binding everywhere", all, "binding", "jni", 1.0);
        }
        if (options.runs("recovery")) {
            Results.Series s = results.get("rec/RESET/64/all");
            o.println("| 64 stale sessions: every lock free in <= 1.0 s median, <= 1.5 s max | " + (s == null
                    ? "not measured"
                    : "median " + Results.num(s.median(), "ms") + " ms, max " + Results.num(s.max(), "ms")
                    + " ms (min " + Results.num(s.min(), "ms") + ", " + s.values().length + " runs): "
                    + (s.median() <= 1000 && s.max() <= 1500 ? "met"
                    : s.median() <= 1000 ? "median met, max MISSED" : "MISSED"))
                    + " |");
        }
        if (options.runs("pool")) {
            poolTarget(o, "getclose-warm-1t", "1 thread", 0.5);
            poolTarget(o, "getclose-warm-4t", "4 threads", 2);
        }
    }

    private void poolTarget(PrintWriter o, String name, String threads, double boundUs) {
        Results.Series s = results.get("pool/" + name);
        o.println("| pool get+close < " + Results.num(boundUs, "us") + " µs, " + threads + " (leak detection on) | "
                + (s == null ? "not measured" : Results.num(s.median(), "us") + " µs: "
                + (s.median() < boundUs ? "met" : "MISSED")) + " |");
    }

    private void targetRow(PrintWriter o, String title, String[] ops, String impl, String base, double min) {
        List<String> missed = new ArrayList<>();
        int checked = 0;
        for (String op : ops) {
            for (int t : options.threadCounts) {
                double r = Results.ratioValue(results.get(key(op, t, impl)), results.get(key(op, t, base)));
                if (Double.isNaN(r)) {
                    continue;
                }
                checked++;
                if (r < min) {
                    missed.add(op + "/" + t + "t " + String.format(Locale.ROOT, "%.2fx", r));
                }
            }
        }
        o.println("| " + title + " | " + (checked == 0 ? "not measured" : missed.isEmpty()
                ? "met (" + checked + " rows)" : "MISSED in " + missed.size() + " of " + checked + ": "
                + String.join(", ", missed)) + " |");
    }

    private String diff(String a, String b) {
        Results.Series x = results.get(a);
        Results.Series y = results.get(b);
        if (x == null || y == null) {
            return "n/a";
        }
        double d = x.median() - y.median();
        return (d >= 0 ? "+" : "−") + Results.num(Math.abs(d), "us");
    }

    private static String machine() {
        StringBuilder sb = new StringBuilder();
        sb.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("\\D", ""));
                    sb.append(", ").append(Math.round(kb / 1024.0 / 1024.0)).append(" GiB");
                }
            }
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    sb.append(", ").append(l.substring(12).replace("\"", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // keep what we have
        }
        sb.append(", JDK ").append(System.getProperty("java.version"));
        sb.append(", libcephfs ").append(CephMount.version());
        try {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(null);
            if (cpu != null) {
                sb.append(", ").append(cpu);
            }
        } catch (IOException e) {
            // no cpu name
        }
        return sb.toString();
    }
}
