package org.cephfsjca.adapter.prestart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.Adapters;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * The pre-start reset, run as a service would run it (a JVM of its own through {@link PreStartReset#main}): after a
 * SIGKILLed adapter it frees the locks and leaves the lease stopped, so the adapter's own start then resets nothing
 * and does not wait for the owner check; against a live owner it exits with the conflict and touches nothing.
 */
class PreStartResetTest {

    private static final int LIVE_INTERVAL_MILLIS = 1000;

    private static final int SLOTS = 4;
    private static final int HELD = 3;
    private static CephMount observer;

    @BeforeAll
    static void observer() throws Exception {
        observer = TestCluster.mounted();
    }

    @AfterAll
    static void close() {
        if (observer != null) {
            observer.close();
        }
    }

    @Test
    void freesTheCrashedNodesLocksAndTheAdapterStartFindsNothingLeft() throws Exception {
        String node = Adapters.freshNodeId("prestart");
        String dir = "/jca-tests/prestart-" + node;
        observer.mkdirs(dir, 0755);
        Adapters.crashLockHolder(node, SLOTS, HELD, dir);

        Run run = preStartReset(node);
        assertEquals(PreStartReset.OK, run.rc, run.toString());
        String report = run.out.strip();
        // the adapter's own one-line report: the dead owner's slot session and lease session reset
        assertTrue(report.startsWith("cephfs-jca: recovery RESET for node " + node + ": " + SLOTS
                + " slots checked, 1 sessions reset, " + (SLOTS - 1) + " not found, 0 failed"), run.toString());
        assertTrue(report.contains("dead") && report.contains("lease session: RESET"), run.toString());
        String key = adminKey();
        assertFalse(run.out.contains(key) || run.err.contains(key), "the cephx key must never be printed");

        Adapters.assertLocksFreeAndDataIntact(observer, node, dir, HELD);
        // its own sessions (probe, lease, reset clients) are gone: nothing of this node is left in the MDS
        List<String> sessions = TestCluster.sessionUuids();
        assertTrue(sessions.stream().noneMatch(u -> u.contains(node)), sessions.toString());

        CephResourceAdapter ra = Adapters.started(node, SLOTS, null);
        try {
            RecoveryReport r = ra.getLastRecovery();
            assertEquals(0, r.sessionsReset(), r.summary());
            assertEquals(SLOTS, r.notFound(), r.summary());
            assertEquals(0, r.failed(), r.summary());
            // "stopped cleanly": decided on the first read, neither the unresponsive bound nor the second read waited
            assertTrue(r.note().contains("previous owner stopped cleanly"), r.summary());
            assertTrue(r.note().contains("lease session: NOT_FOUND"), r.summary());
            System.out.printf("pre-start reset: %s%n  then adapter start: %s%n", report, r.summary());
        } finally {
            ra.stop();
            for (int i = 0; i < HELD; i++) {
                observer.unlink(dir + "/file-" + i);
            }
            observer.rmdir(dir);
        }
    }

    @Test
    void aLiveOwnerIsAConflictAndNothingIsTouched() throws Exception {
        String node = Adapters.freshNodeId("prestartlive");
        String dir = "/jca-tests/prestart-" + node;
        // a 1 s heartbeat, so the owner check's read bound is 2 s: at load ~15 the default 500 ms bound once judged this
        // live owner dead (1 of 20 loop runs), a known limit of the owner check itself (OwnerLease; docs/wildfly.md),
        // which the adapter's own start shares; this test is about what the pre-start reset does on a conflict
        CephResourceAdapter live = Adapters.started(node, SLOTS, ra -> ra.setLeaseIntervalMillis(LIVE_INTERVAL_MILLIS));
        try {
            CephConnectionFactory cf = Adapters.factory(live);
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
                c.write(dir + "/locked", new byte[] {1});
                CephLock lock = c.tryLock(dir + "/locked", LockMode.EXCLUSIVE).orElseThrow();
                List<String> before = TestCluster.sessionUuids();

                Run run = preStartReset(node, "leaseIntervalMillis=" + LIVE_INTERVAL_MILLIS);
                assertEquals(PreStartReset.CONFLICT, run.rc, run.toString());
                assertTrue(run.err.contains("NodeIdConflictException") && run.err.contains("node id " + node
                        + " is in use by a live cephfs-jca adapter") && run.err.contains("No session was touched"),
                        run.toString());
                assertEquals("", run.out.strip(), "no report: nothing was reset");

                // the live owner's sessions are untouched: still in the MDS, still working, its lock still held
                List<String> after = TestCluster.sessionUuids();
                assertTrue(after.contains(Adapters.uuid(node, 0)) && after.contains(Adapters.leaseUuid(node)),
                        "before " + before + ", after " + after);
                c.write(dir + "/after", new byte[] {2});
                assertArrayEquals(new byte[] {1}, c.readAllBytes(dir + "/locked"));
                assertLockHeldElsewhere(dir + "/locked");
                assertEquals("serving", cf.getSessionStatus().serving());
                lock.close();
                c.deleteRecursively(dir);
            }
        } finally {
            live.stop();
        }
    }

    /** An unrelated client cannot take the lock (its open may block on the owner's caps: bounded, on a thread). */
    private static void assertLockHeldElsewhere(String path) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "prestart-lock-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Boolean> got = ex.submit(() -> {
                try (CephFile f = observer.open(path, O_RDWR, 0)) {
                    boolean ok = f.lock(LockMode.EXCLUSIVE, false, 3000);
                    if (ok) {
                        f.unlock(3000);
                    }
                    return ok;
                }
            });
            try {
                assertFalse(got.get(30, TimeUnit.SECONDS), "the live owner's lock must still be held");
            } catch (TimeoutException e) {
                got.cancel(true); // still blocked on the live owner's caps: held
            }
        } finally {
            ex.shutdownNow();
        }
    }

    /** client.admin's cephx key, from the keyring ceph.conf names (the secret the run must not print). */
    private static String adminKey() throws Exception {
        String conf = Files.readString(Path.of(TestCluster.conf()), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*keyring\\s*=\\s*(\\S+)").matcher(conf);
        assertTrue(m.find(), "ceph.conf names no keyring");
        java.util.regex.Matcher k = java.util.regex.Pattern.compile("(?m)^\\s*key\\s*=\\s*(\\S+)")
                .matcher(Files.readString(Path.of(m.group(1)), StandardCharsets.UTF_8));
        assertTrue(k.find(), "no key in " + m.group(1));
        return k.group(1);
    }

    private record Run(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** PreStartReset's main in a child JVM, with the properties a test adapter has (Adapters.configured). */
    private static Run preStartReset(String node, String... moreProperties) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path out = Files.createTempFile("prestart", ".out");
        Path err = Files.createTempFile("prestart", ".err");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    PreStartReset.class.getName(), "--property", "configFile=" + TestCluster.conf(),
                    "--property", "fileSystemName=" + TestCluster.fsName(), "--property", "nodeId=" + node,
                    "--property", "sessionSlots=" + SLOTS, "--property", "mountTimeoutSeconds=20",
                    "--property", "takeoverAfterMillis=0"));
            for (String p : moreProperties) {
                cmd.add("--property");
                cmd.add(p);
            }
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("PreStartReset did not exit within 120 s: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
