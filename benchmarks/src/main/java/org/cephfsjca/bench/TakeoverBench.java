package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.daemon;
import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.ms;
import static org.cephfsjca.bench.BenchLog.uptime;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cephfsjca.adapter.cluster.TakeoverRecord;
import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;

/**
 * Cluster takeover ({@code --parts takeover}): three adapters in three JVMs form a cluster of their own (a fresh uuid
 * prefix per run, so that runs never see each other): two survivors and a victim that holds an exclusive lock in each
 * of its N session slots (slot 0 the adapter's own session, slots 1..N-1 plain clients with those slots' uuids, as in
 * the crash-recovery benchmark). Once the survivors know the victim, it is SIGKILLed, and the harness's own client
 * (mounted before) tries every lock from that moment: the time until it holds all N is the takeover time. The
 * {@link TakeoverRecord} the survivor writes into the victim's takeover file gives the reset's own duration and when
 * it was done. The baseline is the same cluster with takeover off ({@code takeoverAfterMillis} 0): nobody resets the
 * victim, so its locks stay held until the MDS times its sessions out; the wait is capped. Results go to
 * {@code tk/<on|off>/<n>/{free,reset,before,setup}}.
 */
final class TakeoverBench {

    /** Uuid prefix of every benchmark cluster: BenchCluster resets leftover {@code cephfs-jca-bench-} sessions. */
    static final String PREFIX = "cephfs-jca-" + BenchCluster.NODE_PREFIX + "tk";
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");

    /** One run, as the report lists it. */
    record Run(int n, boolean takeover, boolean victimWatches, String setupMs, String free, int liveTakenOver,
               int leftAfterStop, String detail) {
    }

    private final BenchOptions options;
    private final BenchCluster cluster;
    private final Children children;
    private final Results results;
    private final Map<String, String> loads;
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, String> capped = new LinkedHashMap<>();
    private int runCount;

    TakeoverBench(BenchOptions options, BenchCluster cluster, Children children, Results results,
                  Map<String, String> loads) {
        this.options = options;
        this.cluster = cluster;
        this.children = children;
        this.results = results;
        this.loads = loads;
    }

    static String key(boolean takeover, boolean victimWatches, int n) {
        return "tk/" + (takeover ? "on" : "off") + "/" + (victimWatches ? "watching" : "watched") + "/" + n;
    }

    void run() throws Exception {
        // sizes interleaved: a run's time depends on where the monitor is in its OSD map cadence
        for (int rep = 0; rep < options.takeoverReps; rep++) {
            for (boolean watches : options.takeoverVictimWatches) {
                for (int n : options.takeoverSizes) {
                    once(n, true, watches);
                }
            }
        }
        if (options.takeoverBaselineSize > 0) {
            once(options.takeoverBaselineSize, false, false); // takeover off everywhere: nobody watches
        }
    }

    private int takeoverAfterMillis() {
        return options.takeoverAfterMs != null ? options.takeoverAfterMs
                : AdapterConfig.RECOMMENDED_TAKEOVER_AFTER_MILLIS;
    }

    private int leaseIntervalMillis() {
        return options.leaseIntervalMs != null ? options.leaseIntervalMs : AdapterConfig.DEFAULT_LEASE_INTERVAL_MILLIS;
    }

    /** Starts the cluster of one run, kills its victim, times its locks; every member is gone afterwards. */
    private void once(int n, boolean takeover, boolean victimWatches) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String prefix = PREFIX + tag;
        String victim = "v-" + tag;
        String dir = cluster.runDir + "/takeover/" + prefix;
        cluster.admin.mkdirs(dir, 0755);
        String load = uptime();
        loads.put(takeover ? "takeover-r" + (++runCount) : "takeover off", load);
        log("takeover: victim with " + n + " slot session(s), takeover " + (takeover ? "after "
                + takeoverAfterMillis() + " ms" + (victimWatches ? ", the victim watching too" : ", the victim not "
                + "watching") : "off") + ", prefix " + prefix + "; " + load);

        int after = takeover ? takeoverAfterMillis() : 0;
        List<Member> survivors = new ArrayList<>();
        Member v = null;
        ExecutorService probes = Executors.newFixedThreadPool(Math.min(n, 8), daemon("tk-probe"));
        try {
            // the three start together, as a cluster's servers would
            survivors.add(member("survivor", prefix, "s1-" + tag, 1, dir, after));
            survivors.add(member("survivor", prefix, "s2-" + tag, 1, dir, after));
            v = member("victim", prefix, victim, n, dir, victimWatches ? after : 0);
            for (Member s : survivors) {
                s.await("READY", 240_000);
            }
            String setupMs = v.await("READY", 240_000).split(" ")[1];
            long knownAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(knownAfterMillis());
            List<String> live = BenchCluster.sessionUuids(prefix + "-" + victim + "-");
            // slot sessions only: not the victim's lease session nor its probe (<prefix>-<node>-lease-<hash>[-probe])
            live.removeIf(u -> u.startsWith(prefix + "-" + victim + "-lease-"));
            if (live.size() != n) {
                throw new IllegalStateException("victim " + victim + " has " + live.size() + " slot sessions, "
                        + "expected " + n + ": " + live);
            }
            // the survivors list the lease root every 8 lease intervals, then read the victim's heartbeat
            long wait = knownAt - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }

            Instant killedAt = Instant.now();
            long t0 = System.nanoTime();
            v.kill(); // SIGKILL
            long cap = TimeUnit.SECONDS.toNanos(takeover ? 60 : options.takeoverCapSeconds);
            List<Future<Long>> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String path = dir + "/file-" + i;
                long owner = 0x7100_0000L + i;
                got.add(probes.submit(() -> probeLock(path, owner, t0 + cap)));
            }
            long last = awaitAll(got, t0 + cap);
            boolean all = last >= 0;
            String free = all ? ms(last - t0) + " ms" : "> " + TimeUnit.NANOSECONDS.toSeconds(cap) + " s (cap)";
            String k = key(takeover, victimWatches, n);
            results.append(k + "/setup", "ms", new double[] {Double.parseDouble(setupMs)});
            if (all) {
                results.append(k + "/free", "ms", new double[] {(last - t0) / 1e6});
            } else {
                capped.put(k, free);
            }

            String detail;
            int[] wrong = new int[1];
            if (takeover) {
                TakeoverRecord r = awaitRecord(prefix, victim, 30_000);
                if (r == null) {
                    Thread.sleep(1_000);
                    detail = "no takeover record within 30 s after the locks" + takeoverLines(survivors, victim, wrong);
                } else {
                    double atMs = Duration.between(killedAt, r.at()).toNanos() / 1e6;
                    results.append(k + "/reset", "ms", new double[] {r.millis()});
                    results.append(k + "/before", "ms", new double[] {atMs - r.millis()});
                    Thread.sleep(1_000); // a second, wrong takeover would be reported by now
                    detail = r.summary() + "; record written " + Math.round(atMs) + " ms after the kill"
                            + takeoverLines(survivors, victim, wrong);
                }
            } else {
                // nobody resets: do it by hand, then the probes finish
                long c0 = System.nanoTime();
                int reset = BenchCluster.resetSessions(BenchCluster.sessionUuids(prefix + "-" + victim + "-"));
                detail = "no takeover (takeoverAfterMillis 0); afterwards " + reset + " session(s) of the victim (slots,"
                        + " lease) reset by hand in " + ms(System.nanoTime() - c0) + " ms";
                if (!all) {
                    long w0 = System.nanoTime();
                    probes.shutdown();
                    detail += probes.awaitTermination(60, TimeUnit.SECONDS)
                            ? ", after which every lock was free within " + ms(System.nanoTime() - w0) + " ms"
                            : ", and the locks were still not free 60 s later";
                }
                detail += takeoverLines(survivors, victim, wrong);
            }
            // the survivors stop cleanly; a session of this cluster still in the MDS afterwards would hold its caps
            // (on the lease root too) until the session timeout, and the next run's starts would wait for it
            for (Member s : survivors) {
                s.close();
            }
            List<String> left = BenchCluster.sessionUuids(prefix + "-");
            if (!left.isEmpty()) {
                BenchCluster.resetSessions(left);
                detail += "; SESSIONS LEFT AFTER THE MEMBERS ENDED (reset by the harness): " + left;
            }
            runs.add(new Run(n, takeover, victimWatches, setupMs + " ms", free, wrong[0], left.size(), detail));
            log("takeover " + n + " " + (takeover ? "on" : "off") + (victimWatches ? " (victim watching)" : "")
                    + ": every lock " + free + " after the kill; prefix " + prefix + "; " + detail);
        } finally {
            probes.shutdownNow();
            if (v != null) {
                v.kill();
            }
            for (Member s : survivors) {
                s.close();
            }
        }
    }

    /** How long after the last member's start the survivors surely know the victim: a listing and a read. */
    private long knownAfterMillis() {
        return Math.max(3_000, 12L * leaseIntervalMillis());
    }

    private Member member(String role, String prefix, String node, int slots, String dir, int takeoverAfter)
            throws IOException {
        List<String> cmd = new ArrayList<>(children.java(TakeoverNodeMain.class));
        cmd.addAll(List.of(role, prefix, node, Integer.toString(slots), dir, Integer.toString(takeoverAfter)));
        if (options.leaseIntervalMs != null) {
            cmd.add(options.leaseIntervalMs.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectError(children.log("takeover-" + node).toFile()).start();
        return new Member(node, p);
    }

    /**
     * Which survivors reported which takeovers: exactly one of the victim, none of a survivor; {@code wrong[0]} is set
     * to the number of takeovers of live survivors.
     */
    private static String takeoverLines(List<Member> survivors, String victim, int[] wrong) {
        List<String> byWhom = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (Member s : survivors) {
            for (String l : s.linesStarting("TAKEOVER ")) {
                if (l.contains(" took over dead node " + victim + " ")) {
                    byWhom.add(s.node);
                } else {
                    live.add(s.node + ": " + l.substring(l.indexOf(' ', 9) + 1));
                }
            }
        }
        String out = "; takeovers of the victim reported: " + byWhom.size() + (byWhom.isEmpty() ? "" : " " + byWhom);
        wrong[0] = live.size();
        return live.isEmpty() ? out : out + "; TAKEOVERS OF LIVE SURVIVORS: " + live;
    }

    /** The record the survivor wrote into the victim's takeover file (polled), or null at the deadline. */
    private TakeoverRecord awaitRecord(String prefix, String victim, long millis) throws Exception {
        String path = OwnerLease.takeoverPath(OwnerLease.directoryOf(prefix, victim));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            TakeoverRecord r = readRecord(path);
            if (r != null) {
                return r;
            }
            Thread.sleep(50);
        }
        return null;
    }

    /** Parses the takeover file's text ({@code cephfs-jca-takeover v1 peer=.. by=.. at=.. ... proof=..}). */
    private TakeoverRecord readRecord(String path) throws IOException {
        String text;
        try (CephFile f = cluster.admin.open(path, O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(512);
            int len = f.read(b, 0);
            text = len <= 0 ? "" : new String(b.array(), 0, len, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!text.startsWith("cephfs-jca-takeover v1 ")) {
            return null;
        }
        int p = text.indexOf(" proof=");
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(p < 0 ? text : text.substring(0, p));
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        return new TakeoverRecord(f.get("peer"), f.get("instance"), f.get("by"), Instant.parse(f.get("at")),
                Integer.parseInt(f.get("reset")), Integer.parseInt(f.get("notFound")),
                Integer.parseInt(f.get("failed")), Long.parseLong(f.get("millis")),
                p < 0 ? "" : text.substring(p + 7));
    }

    /** The time (nanoTime) the last lock was obtained, or -1 if one was not obtained by the deadline. */
    private static long awaitAll(List<Future<Long>> got, long deadline) throws Exception {
        long last = 0;
        for (Future<Long> f : got) {
            try {
                long at = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (at < 0) {
                    return -1;
                }
                last = Math.max(last, at);
            } catch (TimeoutException e) {
                return -1;
            }
        }
        return last;
    }

    /** Opens and locks {@code path} as an independent client would; the time it got the lock, or -1 at the cap. */
    private long probeLock(String path, long owner, long deadline) throws IOException, InterruptedException {
        try (CephFile f = cluster.admin.open(path, O_RDWR, 0)) { // may block while a dead session holds caps
            while (!f.lock(LockMode.EXCLUSIVE, false, owner)) {
                if (System.nanoTime() - deadline > 0) {
                    return -1;
                }
                Thread.sleep(2);
            }
            long at = System.nanoTime();
            f.unlock(owner);
            return at;
        }
    }

    /** The report's section. */
    void render(PrintWriter o) {
        o.println("### Cluster takeover");
        o.println();
        o.println("Three adapters in three JVMs with one uuid prefix of their own per run (so runs never see each "
                + "other), leaseIntervalMillis " + leaseIntervalMillis() + ": two survivors with takeoverAfterMillis "
                + takeoverAfterMillis() + " and a victim with sessionSlots = N that holds an exclusive lock on a "
                + "fsynced file in each slot (slot 0 the adapter's session, slots 1..N-1 plain clients mounted with "
                + "those slots' uuids); the victim either has the same takeoverAfterMillis (it watches its peers too) "
                + "or 0 (it is watched, watches nobody). " + knownAfterMillis() + " ms after all three are up (the "
                + "survivors know the victim), the victim is SIGKILLed; the harness's client (mounted before) opens "
                + "and tries every lock from that moment. Baseline: takeoverAfterMillis 0 on all three, capped at "
                + options.takeoverCapSeconds + " s. Reset = the TakeoverRecord's millis (the parallel reset of the "
                + "victim's slot and lease uuids); before the reset = from the kill to the record's `at` minus that "
                + "(detection, arbitration, proof, and the reset of the probe uuid). Milliseconds, median [min–max].");
        o.println();
        o.println("| slots of the dead node | victim | runs | every lock obtainable (from the SIGKILL) | before the "
                + "reset | reset | runs in which a live survivor was taken over too | runs that left a session after "
                + "the survivors' clean stop | victim set-up (not timed) |");
        o.println("|---|---|---|---|---|---|---|---|---|");
        for (boolean watches : options.takeoverVictimWatches) {
            for (int n : options.takeoverSizes) {
                row(o, true, watches, n);
            }
        }
        if (options.takeoverBaselineSize > 0) {
            row(o, false, false, options.takeoverBaselineSize);
        }
        o.println();
        o.println("Each run (the survivor's TakeoverRecord, and which survivors reported a takeover):");
        o.println();
        for (Run r : runs) {
            o.println("- " + r.n() + " slots, " + (r.takeover() ? r.victimWatches() ? "victim watching" : "victim "
                    + "watched only" : "takeover off") + ": every lock " + r.free() + "; " + r.detail());
        }
        o.println();
    }

    private void row(PrintWriter o, boolean takeover, boolean watches, int n) {
        String k = key(takeover, watches, n);
        List<Run> of = runs.stream().filter(r -> key(r.takeover(), r.victimWatches(), r.n()).equals(k)).toList();
        if (of.isEmpty()) {
            return;
        }
        Results.Series free = results.get(k + "/free");
        long cappedRuns = of.size() - (free == null ? 0 : free.values().length);
        String freeCell = free == null ? capped.get(k) : Results.cell(free) + " ms"
                + (cappedRuns > 0 ? " (" + cappedRuns + " run(s) " + capped.get(k) + ")" : "");
        long wrong = of.stream().filter(r -> r.liveTakenOver() > 0).count();
        long left = of.stream().filter(r -> r.leftAfterStop() > 0).count();
        o.println("| " + n + " | " + (!takeover ? "baseline: takeover off on all three" : watches
                ? "watching too (takeover on)" : "watched only (takeover off on it)") + " | " + of.size() + " | "
                + freeCell + " | " + cellMs(results.get(k + "/before")) + " | " + cellMs(results.get(k + "/reset"))
                + " | " + (takeover ? wrong + " of " + of.size() : "—") + " | " + left + " of " + of.size() + " | "
                + Results.cell(results.get(k + "/setup")) + " ms |");
    }

    private static String cellMs(Results.Series s) {
        return s == null ? "—" : Results.cell(s) + " ms";
    }

    /** A member JVM: its stdout lines collected, stderr in its log; stopped by closing stdin, or killed. */
    private static final class Member implements AutoCloseable {

        final String node;
        private final Process process;
        private final List<String> lines = new ArrayList<>();

        Member(String node, Process process) {
            this.node = node;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the member ended
                }
            }, "tk-member-" + node);
            reader.setDaemon(true);
            reader.start();
        }

        /** Its first stdout line starting with {@code prefix}, waiting up to {@code millis}; fails if it ends first. */
        String await(String prefix, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            boolean ended = false;
            synchronized (lines) {
                for (;;) {
                    for (String l : lines) {
                        if (l.startsWith(prefix)) {
                            return l;
                        }
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || ended) {
                        throw new IllegalStateException("takeover member " + node + ": no " + prefix + " line ("
                                + (ended ? "exited " + process.exitValue() : "timed out") + "); see takeover-" + node
                                + ".log in the log directory");
                    }
                    ended = !process.isAlive(); // one more look after it ended: its last lines may be on their way
                    lines.wait(ended ? 200 : Math.min(left, 500));
                }
            }
        }

        List<String> linesStarting(String prefix) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith(prefix)).toList();
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** Clean stop (its adapter unmounts); SIGKILL if it has not ended 30 s later. */
        @Override
        public void close() throws Exception {
            if (!process.isAlive()) {
                return;
            }
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it is ending already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
