package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.daemon;
import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.secondsSince;
import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.FileType;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The benchmark's footprint on the cluster: its directories and the shared listing fixture, the MDS sessions of its
 * adapter nodes (listed and reset through the ceph CLI and libcephfs), and the clean-up that leaves only the fixture.
 * Holds the admin mount the harness itself uses.
 */
final class BenchCluster implements AutoCloseable {

    static final String BASE = "/cephfs-jca-bench";
    static final String LIST_DIR = BASE + "/fixtures/dir10k";
    static final String NODE_PREFIX = "bench-";
    private static final String LEASE_DIR = "/.cephfs-jca";
    private static final int LIST_ENTRIES = 10_000;
    private static final Pattern UUID_FIELD = Pattern.compile("\"uuid\"\\s*:\\s*\"([^\"]*)\"");

    final CephMount admin;
    final String runDir;

    BenchCluster(String runDir) throws Exception {
        this.admin = BindingWorker.mount();
        this.runDir = runDir;
    }

    /**
     * Gets the cluster ready: leftovers of an aborted run gone, enough space, the run directory, and the listing
     * fixture when {@code listFixture} (only the data path lists it).
     */
    void prepare(long needBytes, boolean listFixture) throws Exception {
        resetLeftoverBenchSessions("before the run");
        removeLeftoverRuns();
        long have = admin.statfs("/").availableBytes();
        if (have < needBytes) {
            throw new IllegalStateException("the cluster has " + (have >> 20) + " MiB available; the run needs about "
                    + (needBytes >> 20) + " MiB: free some space (other files on the file system) and rerun");
        }
        log("cluster space available: " + (have >> 20) + " MiB");
        admin.mkdirs(runDir + "/seq", 0755);
        if (listFixture) {
            ensureListFixture();
        }
    }

    /** Uuids of the MDS sessions starting with {@code prefix} ({@code ceph tell mds.* session ls}). */
    static List<String> sessionUuids(String prefix) throws IOException, InterruptedException {
        List<String> uuids = new ArrayList<>();
        Matcher m = UUID_FIELD.matcher(ceph("tell", "mds.*", "session", "ls", "--format", "json"));
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                uuids.add(m.group(1));
            }
        }
        return uuids;
    }

    /** Resets sessions by uuid, in parallel (one client each), as the adapter does; returns how many were reset. */
    static int resetSessions(List<String> uuids) throws Exception {
        if (uuids.isEmpty()) {
            return 0;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(uuids.size(), 16), daemon("reset"));
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (String uuid : uuids) {
                fs.add(pool.submit(() -> {
                    try (CephMount m = CephMount.create("admin")) {
                        m.readConfigFile(Env.conf());
                        m.init();
                        return m.resetSession(uuid);
                    }
                }));
            }
            int reset = 0;
            for (Future<Boolean> f : fs) {
                reset += f.get() ? 1 : 0;
            }
            return reset;
        } finally {
            pool.shutdown();
        }
    }

    private static final Pattern PURGE_COUNTER = Pattern.compile(
            "\"(num_strays|num_strays_enqueuing|pq_executing|pq_item_in_journal)\"\\s*:\\s*(\\d+)");

    /** The MDS's stray inodes (deleted, not yet purged) and its purge queue ({@code ceph tell mds.* perf dump}). */
    record PurgeState(long strays, long enqueuing, long executing, long inJournal) {
        static PurgeState read() throws IOException, InterruptedException {
            Matcher m = PURGE_COUNTER.matcher(ceph("tell", "mds.*", "perf", "dump"));
            long[] v = new long[4];
            while (m.find()) {
                long n = Long.parseLong(m.group(2));
                switch (m.group(1)) {
                    case "num_strays" -> v[0] += n;
                    case "num_strays_enqueuing" -> v[1] += n;
                    case "pq_executing" -> v[2] += n;
                    default -> v[3] += n;
                }
            }
            return new PurgeState(v[0], v[1], v[2], v[3]);
        }

        boolean purgedDownTo(long strayBaseline) {
            return strays <= strayBaseline && enqueuing == 0 && executing == 0 && inJournal == 0;
        }
    }

    /**
     * Waits until the MDS has purged what was deleted since {@code strayBaseline} was read: no more strays than
     * then, none being enqueued, the purge queue empty. statfs cannot tell it: the monitor's usage figures lag the
     * OSD by seconds, so a file written and deleted in between never shows, and a wait on statfs alone returned while
     * 1 GiB was still being purged (a full run's large step then filled the 2 GiB cluster: ENOSPC). The baseline,
     * not zero: a deleted directory stays a stray while a client (a killed one, say, until its session times out)
     * still has it cached, and holds no data.
     *
     * @return what was left when the bound passed, or null once purged
     */
    static String awaitPurged(long strayBaseline, long boundMillis) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (;;) {
            PurgeState p = PurgeState.read();
            if (p.purgedDownTo(strayBaseline)) {
                return null;
            }
            if (System.nanoTime() - t0 > boundMillis * 1_000_000L) {
                return p + " against " + strayBaseline + " strays before";
            }
            Thread.sleep(250);
        }
    }

    /**
     * Polls {@code available} (statfs) until it shows {@code need} bytes or {@code boundMillis} pass; after {@link
     * #awaitPurged} the space is free at the OSD, and statfs catches up within seconds.
     *
     * @return the last bytes available seen
     */
    static long awaitAvailable(Callable<Long> available, long need, long boundMillis) throws Exception {
        long t0 = System.nanoTime();
        long have = available.call();
        while (have < need && System.nanoTime() - t0 < boundMillis * 1_000_000L) {
            Thread.sleep(200);
            have = available.call();
        }
        return have;
    }

    /** The file system's session_autoclose (s), from {@code ceph fs get}. */
    static String sessionAutoclose() {
        try {
            Matcher m = Pattern.compile("session_autoclose\\s+(\\d+)").matcher(ceph("fs", "get", Env.fsName()));
            return m.find() ? m.group(1) : "?";
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    /** The MDS's mds_tick_interval (s), from {@code ceph tell mds.* config get}: a stalled hand-off waits a tick. */
    static String mdsTickInterval() {
        try {
            Matcher m = Pattern.compile("\"mds_tick_interval\"\\s*:\\s*\"([0-9.]+)\"")
                    .matcher(ceph("tell", "mds.*", "config", "get", "mds_tick_interval"));
            return m.find() ? new BigDecimal(m.group(1)).stripTrailingZeros().toPlainString() : "?";
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static String ceph(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("timeout", "30", "ceph", "--conf", Env.conf()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(40, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    /** Sessions of benchmark nodes left by an aborted earlier run would keep caps and locks: reset them. */
    private void resetLeftoverBenchSessions(String when) throws Exception {
        List<String> stale = sessionUuids("cephfs-jca-" + NODE_PREFIX);
        if (!stale.isEmpty()) {
            log("resetting " + stale.size() + " benchmark session(s) left " + when + ": " + stale);
            resetSessions(stale);
        }
    }

    /** Run directories of earlier, aborted runs (their sessions were reset just before). */
    private void removeLeftoverRuns() throws IOException {
        try {
            for (DirEntry e : admin.list(BASE)) {
                if (e.name().startsWith("run-")) {
                    long t0 = System.nanoTime();
                    long n = deleteTree(admin, BASE + "/" + e.name());
                    log("removed " + n + " files left by an aborted run in " + BASE + "/" + e.name() + " ("
                            + secondsSince(t0) + " s)");
                }
            }
        } catch (NoSuchFileException e) {
            // first run
        }
    }

    /** The shared 10,000-entry directory: kept across runs (metadata only), recreated when incomplete. */
    private void ensureListFixture() throws Exception {
        int have = -1;
        try {
            have = admin.list(LIST_DIR).size();
        } catch (NoSuchFileException e) {
            // first run on this cluster
        }
        if (have == LIST_ENTRIES) {
            return;
        }
        long t0 = System.nanoTime();
        if (have >= 0) {
            deleteTree(admin, LIST_DIR);
        }
        admin.mkdirs(LIST_DIR, 0755);
        for (int i = 0; i < LIST_ENTRIES; i++) {
            admin.open(String.format(Locale.ROOT, "%s/entry-%05d", LIST_DIR, i), O_CREAT | O_WRONLY, 0644).close();
        }
        log("created the listing fixture " + LIST_DIR + " (" + LIST_ENTRIES + " empty files) in "
                + secondsSince(t0) + " s");
    }

    /**
     * Deletes the run's files in parallel (tens of thousands of small files), the benchmark nodes' lease directories,
     * and resets any benchmark session left; then unmounts.
     */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        try {
            resetLeftoverBenchSessions("after the run");
        } catch (Exception e) {
            log("could not check for leftover sessions: " + e);
        }
        AtomicLong deleted = new AtomicLong();
        try {
            deleteRunDir(deleted);
            deleteLeaseDirs(deleted);
            log("deleted " + deleted.get() + " files of " + runDir + " in " + secondsSince(t0) + " s");
        } finally {
            admin.close();
        }
    }

    private void deleteRunDir(AtomicLong deleted) {
        ConcurrentLinkedQueue<String> dirs = new ConcurrentLinkedQueue<>();
        try {
            for (DirEntry e : admin.list(runDir)) {
                dirs.add(runDir + "/" + e.name());
            }
        } catch (IOException e) {
            log("nothing to delete under " + runDir + ": " + e.getMessage());
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(4, daemon("delete"));
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(pool.submit(() -> {
                try (CephMount m = BindingWorker.mount()) {
                    for (String d = dirs.poll(); d != null; d = dirs.poll()) {
                        deleted.addAndGet(deleteTree(m, d));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (Exception e) {
                log("delete failed: " + e);
            }
        }
        pool.shutdown();
        try {
            admin.rmdir(runDir);
        } catch (IOException e) {
            log("could not remove " + runDir + ": " + e.getMessage());
        }
    }

    /** The adapters' node lease directories (/.cephfs-jca/<prefix>-<node>) of this and earlier benchmark runs. */
    private void deleteLeaseDirs(AtomicLong deleted) {
        try {
            for (DirEntry e : admin.list(LEASE_DIR)) {
                if (e.name().startsWith("cephfs-jca-" + NODE_PREFIX)) {
                    deleted.addAndGet(deleteTree(admin, LEASE_DIR + "/" + e.name()));
                }
            }
        } catch (NoSuchFileException e) {
            // no adapter ran
        } catch (IOException e) {
            log("could not remove the benchmark nodes' lease directories: " + e.getMessage());
        }
    }

    static long deleteTree(CephMount m, String path) throws IOException {
        long n = 0;
        for (DirEntry e : m.list(path)) {
            String child = path + "/" + e.name();
            FileType type = e.type() == FileType.OTHER ? m.stat(child, false).type() : e.type();
            if (type == FileType.DIRECTORY) {
                n += deleteTree(m, child);
            } else {
                m.unlink(child);
                n++;
            }
        }
        m.rmdir(path);
        return n;
    }
}
