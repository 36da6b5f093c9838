package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.LockUnavailableException;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Locks held outside the pool ({@code CephConnectionFactory.holdLock}): many of them occupy no pooled connection,
 * exclude other owners (in this server and in other Ceph clients) while held, and are released by close() or by the
 * adapter's stop.
 */
class HeldLockTest {

    private static final int LOCKS = 12;

    @Test
    void manyHeldLocksLeaveThePoolFreeAndAreReleasedByCloseOrStop() throws Exception {
        String node = Adapters.freshNodeId("held");
        CephResourceAdapter ra = Adapters.started(node, 2, x -> {
            x.setMaxPoolSize(2);
            x.setPoolBlockingTimeoutMillis(0);
        });
        String dir = "/jca-tests/held-" + node;
        CephMount outsiderMount = TestCluster.mounted();
        try (MountedConnection outsider = new MountedConnection(outsiderMount, null)) {
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
                for (int i = 0; i < LOCKS; i++) {
                    c.write(dir + "/doc-" + i, new byte[] {(byte) i});
                }
            }
            List<CephLock> held = new ArrayList<>();
            for (int i = 0; i < LOCKS; i++) {
                held.add(cf.holdLock(dir + "/doc-" + i, LockMode.EXCLUSIVE, Duration.ofSeconds(5)));
            }
            // more locks than the pool has connections, and both connections are still free
            try (CephConnection a = cf.getConnection(); CephConnection b = cf.getConnection()) {
                assertTrue(a.tryLock(dir + "/doc-0", LockMode.SHARED).isEmpty(), "excludes a pooled connection");
                assertArrayEquals1(b.readAllBytes(dir + "/doc-3"), 3);
            }
            assertTrue(outsider.tryLock(dir + "/doc-1", LockMode.SHARED).isEmpty(), "excludes another client");
            assertThrows(LockUnavailableException.class,
                    () -> cf.holdLock(dir + "/doc-2", LockMode.SHARED, Duration.ZERO), "held: try once, refused");
            assertThrows(NoSuchFileException.class,
                    () -> cf.holdLock(dir + "/missing", LockMode.EXCLUSIVE, Duration.ZERO));
            assertEquals(LOCKS, ra.node().heldLocks());
            assertTrue(held.get(0).isValid());

            held.get(0).close();
            held.get(0).close(); // idempotent
            assertFalse(held.get(0).isValid());
            outsider.tryLock(dir + "/doc-0", LockMode.EXCLUSIVE).orElseThrow(
                    () -> new AssertionError("released by close()")).close();
            assertEquals(LOCKS - 1, ra.node().heldLocks());

            ra.stop();
            for (int i = 1; i < LOCKS; i++) {
                assertFalse(held.get(i).isValid(), "stop releases held lock " + i);
                outsider.tryLock(dir + "/doc-" + i, LockMode.EXCLUSIVE).orElseThrow(
                        () -> new AssertionError("released by the adapter's stop")).close();
            }
            outsider.deleteRecursively(dir);
        } finally {
            ra.stop();
            outsiderMount.close();
        }
    }

    private static void assertArrayEquals1(byte[] b, int value) {
        assertEquals(1, b.length);
        assertEquals(value, b[0]);
    }
}
