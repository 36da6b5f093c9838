package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.LockMode;

/**
 * The reclaim interface of the reference doc (Example 1) driven from Java, including a real crash: a child JVM
 * holding a lock and fsynced data under uuid U is SIGKILLed.
 */
class ReclaimTest {

    private static CephMount mount;
    private static String dir;

    @BeforeAll
    static void mount() throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, ReclaimTest.class);
    }

    @AfterAll
    static void unmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    @Test
    void resetOfAnUnknownUuidIsEnoentNotAnError() throws Exception {
        try (CephMount m = TestCluster.initialized()) {
            m.setSessionTimeout(300);
            assertFalse(m.resetSession(TestCluster.freshUuid("nobody")));
            // one reclaim per client: libcephfs answers a second one wrongly (0 for an unknown uuid)
            assertThrows(IllegalStateException.class,
                    () -> m.startReclaim(TestCluster.freshUuid("nobody"), CephMount.RECLAIM_RESET));
            m.setUuid(TestCluster.freshUuid("after-enoent"));
            m.mount("/");
            assertTrue(m.stat("/").isDirectory());
        }
    }

    @Test
    void startReclaimAnswersEnoentForAnUnknownUuid() throws Exception {
        try (CephMount m = TestCluster.initialized()) {
            assertEquals(-Errno.ENOENT.code(), m.startReclaim(TestCluster.freshUuid("nobody"), CephMount.RECLAIM_RESET));
            m.finishReclaim();
        }
    }

    @Test
    void onlyResetIsImplementedByTheMds() throws Exception {
        String uuid = TestCluster.freshUuid("flags");
        try (CephMount holder = TestCluster.mounted(uuid); CephMount m = TestCluster.initialized()) {
            assertTrue(holder.isMounted());
            CephFileSystemException e = assertThrows(CephFileSystemException.class, () -> m.startReclaim(uuid, 0));
            assertTrue(e.errno() == Errno.EINVAL || e.errno() == Errno.EOPNOTSUPP, e.getMessage());
            assertTrue(e.getMessage().contains(uuid) && e.getMessage().contains("ceph_start_reclaim"), e.getMessage());
        }
    }

    @Test
    void duplicateUuidMountIsRefusedWithEperm() throws Exception {
        String uuid = TestCluster.freshUuid("dup");
        try (CephMount first = TestCluster.mounted(uuid)) {
            assertTrue(first.isMounted());
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> TestCluster.mounted(uuid));
            assertTrue(e.getMessage().contains(uuid), e.getMessage());
        }
    }

    @Test
    void resetOfALiveSessionEvictsIt() throws Exception {
        String uuid = TestCluster.freshUuid("live");
        try (CephMount victim = TestCluster.mounted(uuid)) {
            assertTrue(TestCluster.sessionUuids().contains(uuid));
            try (CephMount m = TestCluster.initialized()) {
                m.setSessionTimeout(300);
                assertTrue(m.resetSession(uuid));
                m.setUuid(uuid);
                m.mount("/");
                assertTrue(m.stat("/").isDirectory());
            }
            // the evicted client is blocklisted: its calls fail, they do not crash
            try {
                victim.stat("/jca-tests");
                victim.open(dir + "/victim-" + System.nanoTime(), OpenFlags.O_CREAT | O_RDWR, 0644).close();
            } catch (java.io.IOException expected) {
                // ESHUTDOWN / ENOTCONN / EIO depending on timing
            }
        }
    }

    /**
     * A client warmed up (its MDS session opened by a reset of a random uuid: ENOENT) still resets truly, once: the
     * binding's ceph_finish_reclaim after the ENOENT is what lets the true reset be sent (without it libcephfs
     * answered ENOENT to it and the session stayed).
     */
    @Test
    void aWarmedUpClientResetsTrulyOnce() throws Exception {
        String uuid = TestCluster.freshUuid("warm");
        try (CephMount victim = TestCluster.mounted(uuid)) {
            assertTrue(TestCluster.sessionUuids().contains(uuid));
            try (CephMount m = TestCluster.initialized()) {
                m.setSessionTimeout(300);
                assertFalse(m.warmUpReset(), "a random uuid has no session");
                assertThrows(IllegalStateException.class, m::warmUpReset);
                assertTrue(m.resetSession(uuid), "the true reset after the warm-up found the session");
                assertThrows(IllegalStateException.class, () -> m.resetSession(TestCluster.freshUuid("again")));
                m.setUuid(uuid); // a mount with the uuid succeeds only once the old session is gone
                m.mount("/");
                assertTrue(m.stat("/").isDirectory());
            }
        }
    }

    /**
     * The whole story: a child JVM takes an exclusive lock on fsynced data under uuid U and is SIGKILLed.
     * Without a reset the lock stays unavailable (checked for 10 s); a new client that resets U, as Example 1 of
     * the reclaim doc does, gets the lock at once and reads the data intact.
     */
    @Test
    void crashedHolderIsResetAndItsLockFreedAtOnce() throws Exception {
        String uuid = TestCluster.freshUuid("crash");
        String path = dir + "/crash-" + System.nanoTime();
        String data = "fsynced before the crash " + uuid;

        Process child = startLockHolder(uuid, path, data);
        Thread probe = null;
        AtomicLong probeGotLockAt = new AtomicLong();
        AtomicReference<Throwable> probeError = new AtomicReference<>();
        CephMount probeMount = TestCluster.mounted();
        try {
            awaitReady(child);
            assertTrue(TestCluster.sessionUuids().contains(uuid), "the child's session must be visible");
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            long killedAt = System.nanoTime();

            // Without a reset: another client polls for the lock. Opening the file may itself block on the dead
            // session's caps, so the probe runs on its own thread.
            probe = new Thread(() -> {
                try (CephFile f = probeMount.open(path, O_RDWR, 0)) {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (f.lock(LockMode.EXCLUSIVE, false, 77)) {
                            probeGotLockAt.set(System.nanoTime());
                            f.unlock(77);
                            return;
                        }
                        Thread.sleep(200);
                    }
                } catch (InterruptedException stop) {
                    // asked to stop
                } catch (Throwable t) {
                    probeError.set(t);
                }
            }, "lock-probe");
            probe.setDaemon(true);
            probe.start();
            Thread.sleep(10_000);
            assertNull(probeError.get());
            assertEquals(0, probeGotLockAt.get(), "the dead session's lock must stay held without a reset");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt) >= 10);
            probe.interrupt();

            // Example 1: create, init, session timeout, start_reclaim(RESET), finish_reclaim, set_uuid, mount
            long t0 = System.nanoTime();
            try (CephMount next = TestCluster.initialized()) {
                next.setSessionTimeout(300);
                assertTrue(next.resetSession(uuid), "the crashed session must be found and reset");
                long resetMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                next.setUuid(uuid);
                next.mount("/");
                try (CephFile f = next.open(path, O_RDWR, 0)) {
                    assertTrue(f.lock(LockMode.EXCLUSIVE, false, 1), "lock must be free right after the reset");
                    long lockMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    ByteBuffer b = ByteBuffer.allocate(1024);
                    int n = f.read(b, 0);
                    assertEquals(data, new String(b.array(), 0, n, StandardCharsets.UTF_8), "fsynced data intact");
                    f.unlock(1);
                    System.out.printf("crash test: reset %d ms, lock obtained %d ms after reset start%n",
                            resetMillis, lockMillis);
                }
                assertEquals(1, TestCluster.sessionUuids().stream().filter(uuid::equals).count(),
                        "only the new incarnation holds the uuid");
            }
            // the probe, released by the reset as well, ends too
            probe.join(30_000);
            assertFalse(probe.isAlive(), "probe still blocked after the reset");
            assertNull(probeError.get());
        } finally {
            child.destroyForcibly();
            if (probe == null || !probe.isAlive()) {
                probeMount.close();
            }
        }
    }

    private static Process startLockHolder(String uuid, String path, String data) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), TestCluster.conf(), uuid, path, data)
                .redirectErrorStream(true).start();
    }

    private static void awaitReady(Process child) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        AtomicReference<String> ready = new AtomicReference<>();
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    all.append(line).append('\n');
                    if (line.equals("READY")) {
                        ready.set(line);
                        return;
                    }
                }
            } catch (Exception ignored) {
                // child died
            }
        });
        reader.setDaemon(true);
        reader.start();
        reader.join(60_000);
        if (ready.get() == null) {
            fail("lock holder did not get ready; its output:\n" + all);
        }
        assertNotNull(ready.get());
    }
}
