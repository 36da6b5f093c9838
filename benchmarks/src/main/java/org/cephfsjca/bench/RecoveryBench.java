package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.daemon;
import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.ms;
import static org.cephfsjca.bench.BenchLog.uptime;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephFile;

/**
 * Crash recovery: a child JVM holds a lock through each of N sessions and is SIGKILLed; a new adapter for the same
 * node starts, and the time from {@code start} until another client holds every lock is measured (RESET), or
 * capped (the NONE baseline). Results go to {@code rec/<mode>/<n>/{start,all,setup}}.
 */
final class RecoveryBench {

    /** One run, as the report lists it. */
    record Run(int n, String mode, String setupMs, String startMs, String allLocks, String report) {
    }

    private final BenchOptions options;
    private final BenchCluster cluster;
    private final Children children;
    private final Results results;
    private final Map<String, String> loads;
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, String> capped = new LinkedHashMap<>();

    RecoveryBench(BenchOptions options, BenchCluster cluster, Children children, Results results,
                  Map<String, String> loads) {
        this.options = options;
        this.cluster = cluster;
        this.children = children;
        this.results = results;
        this.loads = loads;
    }

    List<Run> runs() {
        return runs;
    }

    /** "mode/n" of the runs whose locks were still held at the cap, with what to print instead of a time. */
    Map<String, String> capped() {
        return capped;
    }

    void run() throws Exception {
        // repeated, sizes interleaved: one start's time depends on where the monitor is in its OSD map cadence
        for (int rep = 0; rep < options.recoveryReps; rep++) {
            for (int n : options.recoverySizes) {
                recoverOnce(n, "RESET");
            }
        }
        if (options.noneSize > 0) {
            recoverOnce(options.noneSize, "NONE");
        }
    }

    /** Crash a child holding {@code n} locks through {@code n} sessions, restart the adapter, time the locks. */
    private void recoverOnce(int n, String mode) throws Exception {
        String node = BenchCluster.NODE_PREFIX + "r" + n + mode.charAt(0) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        String dir = cluster.runDir + "/recovery/" + node;
        cluster.admin.mkdirs(dir, 0755);
        String load = uptime();
        loads.put("recovery " + n + " " + mode, load);
        log("recovery: " + n + " stale session(s), mode " + mode + "; " + load);

        String setupMs = crashedChild(node, n, dir);

        // a new incarnation of the adapter starts; another client (admin) then tries every lock
        CephResourceAdapter ra = adapter(node, n, mode);
        long capNanos = TimeUnit.SECONDS.toNanos(mode.equals("NONE") ? options.noneCapSeconds : 60);
        ExecutorService probes = Executors.newFixedThreadPool(Math.min(n, 8), daemon("probe"));
        long t0 = System.nanoTime();
        ra.start(null);
        long t1 = System.nanoTime();
        RecoveryReport report = ra.getLastRecovery();
        List<Future<Long>> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = dir + "/file-" + i;
            long owner = 0x7000_0000L + i;
            got.add(probes.submit(() -> probeLock(path, owner, t0 + capNanos)));
        }
        long last = awaitAll(got, t0 + capNanos);
        boolean all = last >= 0;
        String startMs = ms(t1 - t0);
        String allMs = all ? ms(last - t0) + " ms" : "> " + TimeUnit.NANOSECONDS.toSeconds(capNanos) + " s (cap)";
        String key = "rec/" + mode + "/" + n;
        results.append(key + "/start", "ms", new double[] {(t1 - t0) / 1e6});
        results.append(key + "/setup", "ms", new double[] {Double.parseDouble(setupMs)});
        if (all) {
            results.append(key + "/all", "ms", new double[] {(last - t0) / 1e6});
        } else {
            capped.put(mode + "/" + n, allMs);
        }
        ra.stop();

        // clean up: reset whatever is left (the NONE case), then the probes finish
        long c0 = System.nanoTime();
        int reset = BenchCluster.resetSessions(BenchCluster.sessionUuids("cephfs-jca-" + node + "-"));
        String cleanup = reset == 0 ? "" : "; afterwards " + reset + " stale session(s) reset by hand in "
                + ms(System.nanoTime() - c0) + " ms";
        if (!all) {
            long w0 = System.nanoTime();
            probes.shutdown();
            boolean done = probes.awaitTermination(60, TimeUnit.SECONDS);
            cleanup += done ? ", after which every lock was free within " + ms(System.nanoTime() - w0) + " ms"
                    : ", and the locks were still not free 60 s later";
        }
        probes.shutdownNow();
        runs.add(new Run(n, mode, setupMs + " ms", startMs + " ms", allMs,
                report.summary().replaceFirst("^recovery ", "") + cleanup));
        log("recovery " + n + " " + mode + ": start " + startMs + " ms, all locks " + allMs + cleanup);
    }

    /**
     * The child: n sessions, each with an fsynced file and an exclusive lock on it, checked in the MDS; then SIGKILL.
     * Returns the child's own set-up time (ms).
     */
    private String crashedChild(String node, int n, String dir) throws Exception {
        List<String> cmd = new ArrayList<>(children.java(LockHolderMain.class));
        cmd.addAll(List.of(node, Integer.toString(n), dir));
        if (options.leaseIntervalMs != null) {
            cmd.add(options.leaseIntervalMs.toString());
        }
        Process child = new ProcessBuilder(cmd).redirectError(children.log("lockholder-" + node).toFile()).start();
        try {
            String ready = Children.awaitLine(child, "READY", 240);
            List<String> live = BenchCluster.sessionUuids("cephfs-jca-" + node + "-");
            // slot sessions only: not the node's lease session nor its probe (<prefix>-<node>-lease-<hash>[-probe])
            live.removeIf(u -> u.startsWith("cephfs-jca-" + node + "-lease-"));
            if (live.size() != n) {
                throw new IllegalStateException("child of node " + node + " has " + live.size() + " sessions, expected "
                        + n + ": " + live);
            }
            // that check is a monitor command: audit-logged, so a Paxos commit. The monitor proposes again at most once
            // per paxos_propose_interval (1 s) after a commit, so a start right after it would wait for the harness's
            // own command with its blocklists; a crash comes at no such moment
            Thread.sleep(QUIET_AFTER_CHECK_MS);
            return ready.split(" ")[1];
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Pause between the harness's session check (a monitor command) and the kill: see crashedChild. */
    static final long QUIET_AFTER_CHECK_MS = 1_500;

    private CephResourceAdapter adapter(String node, int slots, String mode) {
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(Env.conf());
        ra.setFileSystemName(Env.fsName());
        ra.setNodeId(node);
        ra.setTakeoverAfterMillis(0); // measured alone: no takeover of other benchmark nodes in the background
        ra.setSessionSlots(slots);
        ra.setRecoveryMode(mode);
        if (options.leaseIntervalMs != null) {
            ra.setLeaseIntervalMillis(options.leaseIntervalMs);
        }
        return ra;
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

    /** Opens and locks {@code path} as another client would; returns when it got the lock, or -1 at the cap. */
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
}
