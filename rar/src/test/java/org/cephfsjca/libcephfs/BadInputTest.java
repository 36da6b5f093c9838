package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs that would abort or crash the process if they reached libcephfs, and handle races. Every case must
 * end in a Java exception with the JVM alive (a crash would kill the surefire fork and fail the build).
 */
class BadInputTest {

    private static CephMount mount;
    private static String dir;

    @BeforeAll
    static void mount() throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, BadInputTest.class);
    }

    @AfterAll
    static void unmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    @Test
    void emptyNullOverlongAndInvalidUuidsAreRefused() throws Exception {
        try (CephMount m = TestCluster.initialized()) {
            // ceph_set_uuid(cmount, "") aborts the process inside libcephfs
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setUuid(""));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.setUuid(null));
            assertThrows(IllegalArgumentException.class, () -> m.setUuid("x".repeat(129)));
            assertThrows(IllegalArgumentException.class, () -> m.setUuid("has space"));
            assertThrows(IllegalArgumentException.class, () -> m.setUuid("nul\0byte"));
            assertThrows(IllegalArgumentException.class, () -> m.setUuid("caf\u00e9"));
            assertThrows(IllegalArgumentException.class, () -> m.startReclaim("", CephMount.RECLAIM_RESET));
            assertThrows(IllegalArgumentException.class, () -> m.resetSession("a/b"));
            m.setUuid("x".repeat(128)); // the limit itself is fine
        }
    }

    @Test
    void nulBytesInPathsNeverReachC() {
        // C would stop at the NUL: "dir\0/../etc" must not silently become "dir"
        for (ThrowingRunnable r : List.<ThrowingRunnable>of(
                () -> mount.stat(dir + "\0/../x"),
                () -> mount.open(dir + "/a\0b", O_CREAT | O_RDWR, 0644),
                () -> mount.mkdir("\0", 0755),
                () -> mount.mkdirs(dir + "/x\0", 0755),
                () -> mount.unlink("a\0"),
                () -> mount.rename(dir, dir + "\0x"),
                () -> mount.symlink("t\0", dir + "/l"),
                () -> mount.setXattr(dir, "user.a\0b", "v"),
                () -> mount.getXattr(dir, "user.\0"),
                () -> mount.openDirectory("\0"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("NUL"), e.getMessage());
            assertFalse(e.getMessage().contains("\0"), "message must not carry the raw NUL");
        }
    }

    @Test
    void overlongAndUnencodablePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> mount.stat("/" + "a".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> mount.stat("/a".repeat(2100)));
        assertThrows(IllegalArgumentException.class, () -> mount.stat("/bad\ud800surrogate"));
        assertThrows(IllegalArgumentException.class, () -> mount.stat(null));
        assertThrows(IllegalArgumentException.class, () -> mount.setXattr(dir, "user.big", new byte[70_000], 0));
        assertThrows(IllegalArgumentException.class, () -> mount.setXattr(dir, "user.f", new byte[1], 99));
        assertThrows(IllegalArgumentException.class, () -> mount.chown(dir, -5, 0));
    }

    @Test
    void closedMountRefusesEveryCall() throws Exception {
        CephMount m = TestCluster.mounted();
        CephFile f = m.open(dir + "/on-closed-mount", O_CREAT | O_RDWR, 0644);
        CephDirectory d = m.openDirectory(dir);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.stat("/"));
        assertThrows(IllegalStateException.class, () -> m.open("/x", 0, 0));
        assertThrows(IllegalStateException.class, () -> m.setUuid("u"));
        assertThrows(IllegalStateException.class, m::unmount);
        assertThrows(IllegalStateException.class, () -> f.read(ByteBuffer.allocateDirect(8), 0));
        assertThrows(IllegalStateException.class, d::next);
        f.close(); // closing children of a closed mount must not touch the freed handle
        d.close();
        m.close();
    }

    @Test
    void unmountedMountClosesChildrenWithoutNativeCalls() throws Exception {
        CephMount m = TestCluster.mounted();
        CephFile f = m.open(dir + "/on-unmounted", O_CREAT | O_RDWR, 0644);
        m.unmount();
        assertThrows(IllegalStateException.class, f::stat);
        f.close();
        m.close();
    }

    /**
     * Many threads do I/O on one mount and one file while another thread closes them. Each call must either
     * succeed or throw IllegalStateException; libcephfs must never see a released handle.
     */
    @Test
    void closeRacingWithInFlightCallsNeverCrashes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 20; round++) {
                CephMount m = TestCluster.mounted();
                CephFile f = m.open(dir + "/race-" + round, O_CREAT | O_RDWR, 0644);
                f.write(ByteBuffer.wrap(new byte[4096]), 0);
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger ok = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 5; t++) {
                    final int kind = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                        for (int i = 0; i < 2000; i++) {
                            try {
                                if (kind % 2 == 0) {
                                    buf.clear();
                                    f.read(buf, 0);
                                } else {
                                    m.stat(dir);
                                }
                                ok.incrementAndGet();
                            } catch (IllegalStateException closed) {
                                refused.incrementAndGet();
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                Thread.sleep(round % 5);
                if (round % 2 == 0) {
                    f.close();
                }
                m.close();
                for (Future<?> fu : futures) {
                    fu.get(60, TimeUnit.SECONDS);
                }
                assertTrue(m.isClosed());
                assertTrue(ok.get() + refused.get() > 0, "threads made no calls");
                f.close(); // odd rounds: after the unmount, without a native call; the handle count stays exact
                assertTrue(f.isClosed());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unmountWaitsForCallsInFlightAndRefusesNewOnes() throws Exception {
        CephMount m = TestCluster.mounted();
        try {
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < 100_000; i++) {
                        m.stat("/");
                    }
                } catch (IllegalStateException expected) {
                    // the mount went away
                } catch (Exception e) {
                    fail(e);
                }
            });
            reader.start();
            Thread.sleep(20);
            m.unmount();
            reader.join(30_000);
            assertFalse(reader.isAlive());
            assertFalse(m.isMounted());
        } finally {
            m.close();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
