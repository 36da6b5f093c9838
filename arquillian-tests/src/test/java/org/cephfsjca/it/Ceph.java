package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * An independent CephFS client in the test JVM (the project's own binding, {@link CephMount}, as shipped in the
 * .rar), and the ceph CLI, to observe from outside the server what its sessions and locks do.
 */
public final class Ceph {

    /** What a lock probe saw. */
    public enum Probe {
        /** the exclusive lock was granted (and released again at once) */
        FREE,
        /** another owner holds the lock */
        HELD,
        /** the open or the lock call did not return in time: the file's caps are held by a (dead) session */
        BLOCKED
    }

    private static final AtomicLong OWNERS = new AtomicLong(System.nanoTime() & 0xffffff);
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ceph-lock-probe");
        t.setDaemon(true); // a probe blocked in libcephfs must not keep the test JVM alive
        return t;
    });

    private Ceph() {
    }

    /** A fresh client.admin mount of the test cluster (no uuid); fails clearly when the cluster is unreachable. */
    public static CephMount mount() {
        CephMount m = null;
        try {
            m = initialized();
            m.mount("/");
            return m;
        } catch (IOException | RuntimeException e) {
            if (m != null) {
                m.close();
            }
            throw new AssertionError("cannot mount CephFS with " + ItEnv.cephConf() + ": " + e
                    + " (is the local cluster running? scripts/ceph-cluster.sh start)", e);
        }
    }

    /** An initialized (not mounted) client.admin handle: enough to reset sessions. */
    public static CephMount initialized() throws IOException {
        CephMount m = CephMount.create("admin");
        try {
            m.readConfigFile(ItEnv.cephConf());
            m.setOption("client_mount_timeout", "15");
            m.init();
            m.selectFileSystem(ItEnv.fsName());
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Tries the exclusive lock on {@code path} (non-blocking flock) from another thread, since the open itself blocks
     * while a dead session holds the file's caps; gives up after {@code timeoutMillis}.
     */
    public static Probe probe(CephMount m, String path, long timeoutMillis) {
        Future<Probe> f = PROBES.submit(() -> tryOnce(m, path));
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Probe.BLOCKED; // the thread stays blocked in libcephfs until the session goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("lock probe of " + path + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static Probe tryOnce(CephMount m, String path) throws IOException {
        long owner = OWNERS.incrementAndGet();
        try (CephFile f = m.open(path, OpenFlags.O_RDONLY, 0)) {
            if (f.lock(LockMode.EXCLUSIVE, false, owner)) {
                f.unlock(owner);
                return Probe.FREE;
            }
            return Probe.HELD;
        }
    }

    /**
     * Starts a probe that retries every 10 ms until it gets the lock, on its own thread; the future completes with
     * the wall-clock time (epoch ms, comparable with the server's timestamps: same host) at which it was granted.
     */
    public static Future<Long> awaitLock(CephMount m, String path, long giveUpAfterMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpAfterMillis);
        return PROBES.submit(() -> {
            while (System.nanoTime() < deadline) {
                if (tryOnce(m, path) == Probe.FREE) {
                    return System.currentTimeMillis();
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            throw new TimeoutException("lock on " + path + " not granted within " + giveUpAfterMillis + " ms");
        });
    }

    /** SHA-256 of a file, read through {@code m}. */
    public static String sha256(CephMount m, String path) throws IOException {
        return DemoProbe.sha256(m, path);
    }

    /** The uuids of every client session the MDS ranks know ({@code ceph tell mds.* session ls}). */
    public static List<String> sessionUuids() {
        String json = ceph("tell", "mds.*", "session", "ls", "--format", "json");
        Matcher m = Pattern.compile("\"uuid\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        List<String> uuids = new ArrayList<>();
        while (m.find()) {
            uuids.add(m.group(1));
        }
        return uuids;
    }

    /** Every session of {@code nodeId} the MDS knows now: its slot sessions and its lease session. */
    public static List<String> sessionsOf(String nodeId) {
        String prefix = ItEnv.UUID_PREFIX + "-" + nodeId + "-";
        List<String> out = new ArrayList<>();
        for (String u : sessionUuids()) {
            if (u.startsWith(prefix)) {
                out.add(u);
            }
        }
        return out;
    }

    /** The slot sessions of {@code nodeId} (all but its lease session, see ItEnv.uuids): the pooled connections. */
    public static List<String> slotSessionsOf(String nodeId) {
        List<String> out = new ArrayList<>();
        for (String u : sessionsOf(nodeId)) {
            if (!u.startsWith(ItEnv.UUID_PREFIX + "-" + nodeId + "-lease")) {
                out.add(u);
            }
        }
        return out;
    }

    /** Polls until no session of {@code nodeId} is left, up to {@code millis}; returns what is left. */
    public static List<String> awaitNoSessionsOf(String nodeId, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<String> left = sessionsOf(nodeId);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            left = sessionsOf(nodeId);
        }
        return left;
    }

    /**
     * Resets (evicts) the sessions of every slot uuid of {@code nodeId} and its lease session, as the adapter's
     * recovery does: one client
     * per uuid, in parallel. (One client per uuid matters: on a libcephfs client that has already reset a session,
     * ceph_start_reclaim answers 0 instead of -ENOENT for a uuid no session has, so the count would be wrong.)
     *
     * @return how many sessions were reset
     */
    public static int resetSessions(String nodeId, int slots) throws Exception {
        List<String> uuids = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            uuids.add(ItEnv.uuid(nodeId, slot));
        }
        uuids.add(ItEnv.leaseUuid(nodeId));
        List<Future<Boolean>> results = new ArrayList<>();
        for (String uuid : uuids) {
            results.add(PROBES.submit(() -> {
                try (CephMount m = initialized()) {
                    return m.resetSession(uuid);
                }
            }));
        }
        int reset = 0;
        for (Future<Boolean> r : results) {
            if (r.get(60, TimeUnit.SECONDS)) {
                reset++;
            }
        }
        return reset;
    }

    /**
     * The gids of the MDS daemons in the file system's map ({@code ceph fs dump}): a gid changes when an MDS
     * restarts, so comparing two answers tells whether one restarted in between (other suites restart it).
     */
    public static List<String> mdsGids() {
        Matcher m = Pattern.compile("\"gid\"\\s*:\\s*(\\d+)").matcher(ceph("fs", "dump", "--format", "json"));
        List<String> gids = new ArrayList<>();
        while (m.find()) {
            if (!gids.contains(m.group(1))) {
                gids.add(m.group(1));
            }
        }
        return gids;
    }

    /** Deletes {@code path} and everything under it; missing is fine (test cleanup). */
    public static void deleteTree(CephMount m, String path) throws IOException {
        org.cephfsjca.api.FileAttributes a;
        try {
            a = m.stat(path, false);
        } catch (java.nio.file.NoSuchFileException gone) {
            return;
        }
        if (a.isDirectory()) {
            for (org.cephfsjca.api.DirEntry e : m.list(path)) {
                deleteTree(m, path + "/" + e.name());
            }
            m.rmdir(path);
        } else {
            m.unlink(path);
        }
    }

    /** Runs the ceph CLI against the test cluster (bounded); fails on error. Returns stdout. */
    public static String ceph(String... args) {
        List<String> cmd = new ArrayList<>(List.of("timeout", "30", "ceph", "--conf", ItEnv.cephConf()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] err;
            byte[] out;
            try (var stdout = p.getInputStream(); var stderr = p.getErrorStream()) {
                Future<byte[]> e = PROBES.submit(() -> stderr.readAllBytes());
                out = stdout.readAllBytes();
                err = e.get(40, TimeUnit.SECONDS);
            }
            if (!p.waitFor(40, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        }
    }
}
