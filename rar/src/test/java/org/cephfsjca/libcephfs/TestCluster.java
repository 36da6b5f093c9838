package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cephfsjca.api.DirEntry;

/**
 * The local cluster started by {@code scripts/ceph-cluster.sh}. Tests never skip: without a reachable cluster
 * they fail, naming what is missing.
 */
public final class TestCluster {

    private TestCluster() {
    }

    /** $CEPH_CONF, which must exist. */
    public static String conf() {
        String conf = System.getenv("CEPH_CONF");
        if (conf == null || conf.isEmpty()) {
            fail("CEPH_CONF is not set: start the local cluster with scripts/ceph-cluster.sh start and "
                    + "eval \"$(scripts/ceph-cluster.sh env)\" (scripts/run-tests.sh does both)");
        }
        if (!Files.isReadable(Path.of(conf))) {
            fail("CEPH_CONF=" + conf + " is not readable: is the local cluster running?");
        }
        return conf;
    }

    /** The file system to mount ($CEPH_FS_NAME, default cephfs). */
    public static String fsName() {
        String fs = System.getenv("CEPH_FS_NAME");
        return fs == null || fs.isEmpty() ? "cephfs" : fs;
    }

    /** An initialized (not mounted) client.admin handle. */
    public static CephMount initialized() throws IOException {
        CephMount m = CephMount.create("admin");
        try {
            m.readConfigFile(conf());
            m.setOption("client_mount_timeout", "20");
            m.init();
            m.selectFileSystem(fsName());
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A mounted client.admin handle, optionally with a session uuid. */
    public static CephMount mounted(String uuid) throws IOException {
        CephMount m = initialized();
        try {
            if (uuid != null) {
                m.setUuid(uuid);
            }
            m.mount("/");
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public static CephMount mounted() throws IOException {
        return mounted(null);
    }

    /** A fresh, unique directory for one test class, created under /jca-tests. */
    public static String testDir(CephMount m, Class<?> owner) throws IOException {
        String dir = "/jca-tests/" + owner.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        m.mkdirs(dir, 0755);
        return dir;
    }

    /** Test-class cleanup: deletes {@code dir} and closes {@code mount}; null-safe (setup may have failed). */
    public static void cleanUp(CephMount mount, String dir) throws IOException {
        if (mount == null) {
            return;
        }
        try {
            if (dir != null) {
                deleteTree(mount, dir);
            }
        } finally {
            mount.close();
        }
    }

    /** A uuid no session has, unique per call. */
    public static String freshUuid(String label) {
        return "jca-test-" + label + "-" + UUID.randomUUID();
    }

    /** Deletes a tree (test cleanup). */
    public static void deleteTree(CephMount m, String path) throws IOException {
        for (DirEntry e : m.list(path)) {
            String child = path + "/" + e.name();
            if (e.type() == org.cephfsjca.api.FileType.DIRECTORY) {
                deleteTree(m, child);
            } else {
                m.unlink(child);
            }
        }
        m.rmdir(path);
    }

    /** The uuids of all client sessions the MDS ranks know, via {@code ceph tell mds.* session ls}. */
    public static List<String> sessionUuids() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\"uuid\"\\s*:\\s*\"([^\"]*)\"").matcher(ceph("tell", "mds.*", "session", "ls",
                "--format", "json"));
        List<String> uuids = new ArrayList<>();
        while (m.find()) {
            uuids.add(m.group(1));
        }
        return uuids;
    }

    /**
     * How many MDS sessions this JVM holds (by the pid in each session's client metadata): a test that expects to
     * leave nothing behind compares it before and after. Includes anonymous sessions, which have no uuid.
     */
    public static int sessionsOfThisProcess() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\"pid\"\\s*:\\s*\"" + ProcessHandle.current().pid() + "\"")
                .matcher(ceph("tell", "mds.*", "session", "ls", "--format", "json"));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * The client sessions the MDS ranks know, uuid to session (client) id, via {@code ceph tell mds.* session ls}.
     * A session replaced under the same uuid shows as a new id.
     */
    public static Map<String, Long> sessionIdsByUuid() throws IOException, InterruptedException {
        String json = ceph("tell", "mds.*", "session", "ls", "--format", "json");
        // each session object starts with "id": N and later names "uuid": "...": pair a uuid with the last id before it
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)|\"uuid\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        Map<String, Long> sessions = new TreeMap<>();
        Long lastId = null;
        while (m.find()) {
            if (m.group(1) != null) {
                lastId = Long.parseLong(m.group(1));
            } else if (lastId != null) {
                sessions.put(m.group(2), lastId);
            }
        }
        return sessions;
    }

    /** Evicts (and blocklists) the client whose session has {@code uuid}, from outside, as an operator would. */
    public static void evictByUuid(String uuid) throws IOException, InterruptedException {
        Long id = sessionIdsByUuid().get(uuid);
        if (id == null) {
            fail("no session with uuid " + uuid + " to evict");
        }
        ceph("tell", "mds.*", "client", "evict", "id=" + id);
    }

    /** Runs the ceph CLI against the test cluster (bounded), failing the test on error. Returns stdout. */
    public static String ceph(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("timeout", "30", "ceph", "--conf", conf()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(40, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * kill -9 the test cluster's MDS and start it again, through {@code scripts/ceph-cluster.sh restart-mds}, which
     * returns once the new MDS is up:active. The cluster is the one CEPH_CONF lives in (never a default one); the test
     * fails if it was not made by that script, or if the MDS is not active within {@code boundSeconds}.
     */
    public static void restartMds(int boundSeconds) throws IOException, InterruptedException {
        clusterScript(boundSeconds, "restart-mds");
    }

    /**
     * Freezes the MDS ({@code scripts/ceph-cluster.sh pause-mds}: SIGSTOP, so nothing answers, as when no MDS is up,
     * while every other daemon carries on). The script's guard resumes it after {@code guardSeconds} whatever happens to
     * this test; call {@link #resumeMds} in a finally block.
     */
    public static void pauseMds(int guardSeconds) throws IOException, InterruptedException {
        clusterScript(30, "pause-mds", Integer.toString(guardSeconds));
    }

    /** Resumes a paused MDS and returns once it is up:active ({@code scripts/ceph-cluster.sh resume-mds}). */
    public static void resumeMds(int boundSeconds) throws IOException, InterruptedException {
        clusterScript(boundSeconds, "resume-mds");
    }

    private static void clusterScript(int boundSeconds, String... command) throws IOException, InterruptedException {
        Path dir = Path.of(conf()).toAbsolutePath().getParent();
        Path script = Path.of(System.getProperty("basedir", "."), "..", "scripts", "ceph-cluster.sh").normalize();
        if (!Files.exists(dir.resolve(".created")) || !Files.isExecutable(script)) {
            fail("cannot " + command[0] + ": needs " + script + " and a cluster it created (no " + dir.resolve(".created")
                    + ")");
        }
        Path out = Files.createTempFile("restart-mds", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(script.toString()));
            cmd.addAll(List.of(command));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()); // not inherited: surefire owns this JVM's stdout
            pb.environment().put("CEPH_JCA_DIR", dir.toString());
            pb.environment().put("CEPH_JCA_MDS_TIMEOUT", Integer.toString(boundSeconds));
            Process p = pb.start();
            if (!p.waitFor(boundSeconds + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command[0] + " did not finish within " + (boundSeconds + 30) + " s: " + Files.readString(out));
            }
            if (p.exitValue() != 0) {
                fail(command[0] + " failed (exit " + p.exitValue() + "): " + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
