package org.cephfsjca.adapter.fs;

import org.cephfsjca.adapter.fault.FatalErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * The session is evicted from outside (a reset of its uuid, as a restarted server would do): calls on the
 * connection fail with exceptions, never a crash, and the listener is told the session is lost.
 */
class SessionLossTest {

    private static CephMount mount;
    private static String dir;

    @BeforeAll
    static void mount() throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, SessionLossTest.class);
    }

    @AfterAll
    static void unmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    /** How a test takes the session away from outside. */
    @FunctionalInterface
    private interface Evictor {
        void evict(String uuid) throws Exception;
    }

    /** What a restarted adapter does: reset the old session by its uuid (start + finish reclaim). */
    @Test
    void sessionResetByUuidIsReportedAsFailed() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> evictAndProbe("reset", uuid -> {
            try (CephMount resetter = TestCluster.initialized()) {
                resetter.setSessionTimeout(300);
                assertTrue(resetter.resetSession(uuid), "the victim's session must be found and reset");
            }
        }));
    }

    /** What an operator does: {@code ceph tell mds.* client evict id=...}. */
    @Test
    void sessionEvictedByAnOperatorIsReportedAsFailed() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> evictAndProbe("operator", TestCluster::evictByUuid));
    }

    private void evictAndProbe(String how, Evictor evictor) throws Exception {
        String uuid = TestCluster.freshUuid("evict-" + how);
        CephMount victim = TestCluster.mounted(uuid);
        RecordingListener l = new RecordingListener();
        MountedConnection c = new MountedConnection(victim, l);
        try {
            c.write(dir + "/before-" + how, "before".getBytes(StandardCharsets.US_ASCII));
            CephLock lock = c.tryLock(dir + "/before-" + how, LockMode.EXCLUSIVE).orElseThrow();
            CephFileChannel ch = c.openChannel(dir + "/channel-" + how, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            assertTrue(lock.isValid());

            evictor.evict(uuid);

            // the first calls may still be answered from the client's cache: keep making uncached ones
            List<Exception> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int i = 0; l.failures.isEmpty() && System.nanoTime() < deadline; i++) {
                try {
                    c.write(dir + "/after-" + how + "-" + i, new byte[] {1}, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.SYNC);
                    c.mkdirs(dir + "/after-dir-" + how + "-" + i);
                    c.list(dir);
                } catch (IOException | IllegalStateException e) {
                    seen.add(e);
                }
                if (l.failures.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            for (Exception e : seen) {
                System.out.println("SessionLossTest[" + how + "]: evicted client got " + describe(e));
            }
            assertFalse(seen.isEmpty(), "calls of an evicted client must fail within 10 s");
            assertEquals(1, l.failures.size(), "connectionFailed once; seen: " + seen);
            Exception cause = l.failures.get(0);
            assertTrue(FatalErrors.isFatal(cause), describe(cause));
            assertSame(seen.get(seen.size() - 1), cause, "the failure reported is the one rethrown");

            // once failed, the lock is no longer claimed valid, and further calls still fail cleanly
            assertFalse(lock.isValid());
            try {
                ch.write(ByteBuffer.wrap(new byte[] {1}));
                ch.force(true);
            } catch (IOException | IllegalStateException e) {
                System.out.println("SessionLossTest[" + how + "]: channel of the evicted client got " + describe(e));
            }
            try {
                c.stat(dir + "/after-dir-" + how + "-0");
            } catch (IOException | IllegalStateException e) {
                System.out.println("SessionLossTest[" + how + "]: stat of the evicted client got " + describe(e));
            }
            assertEquals(1, l.failures.size(), "reported once per session");
        } finally {
            c.close(); // releases the lock and channel without hanging or throwing
            victim.close();
        }
        assertEquals(List.of(c), l.closed);
    }

    private static String describe(Exception e) {
        String errno = e instanceof CephFileSystemException
                ? ((CephFileSystemException) e).errno() + " (" + ((CephFileSystemException) e).errnoCode() + ")"
                : "-";
        return e.getClass().getSimpleName() + " errno=" + errno + ": " + e.getMessage();
    }

    @Test
    void unmountedSessionIsReportedAsFailed() throws Exception {
        CephMount m = TestCluster.mounted();
        RecordingListener l = new RecordingListener();
        MountedConnection c = new MountedConnection(m, l);
        try {
            assertTrue(c.exists(dir));
            m.unmount();
            try {
                c.exists(dir);
                fail("a call on an unmounted session must fail");
            } catch (IllegalStateException expected) {
                assertTrue(expected.getMessage().contains("not mounted"), expected.getMessage());
            }
            assertEquals(1, l.failures.size());
            assertSame(IllegalStateException.class, l.failures.get(0).getClass());
        } finally {
            c.close();
            m.close();
        }
    }
}
