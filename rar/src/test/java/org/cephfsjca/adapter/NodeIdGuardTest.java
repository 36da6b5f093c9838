package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.resource.spi.ResourceAdapterInternalException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Two servers with the same node id must not evict each other: the second start proves the first alive through
 * its lease heartbeat and refuses, touching nothing.
 */
class NodeIdGuardTest {

    @Test
    void secondAdapterWithTheSameNodeIdRefusesToStartAndTheFirstKeepsWorking() throws Exception {
        String node = Adapters.freshNodeId("dup");
        String dir = "/jca-tests/dup-" + node;
        CephResourceAdapter first = Adapters.started(node, 2, null);
        try {
            CephConnectionFactory cf = Adapters.factory(first);
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
                c.write(dir + "/before", new byte[] {1});

                CephResourceAdapter second = Adapters.configured(node, 2);
                long t0 = System.nanoTime();
                ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                        () -> second.start(null));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(e.getMessage().contains("node id " + node + " is in use by a live cephfs-jca adapter")
                        && e.getMessage().contains("No session was touched")
                        && e.getMessage().contains("in this JVM"), e.getMessage());
                System.out.println("duplicate node id refused in " + millis + " ms: " + e.getMessage());

                // the first adapter's session was not reset: the same connection still works
                c.write(dir + "/after", new byte[] {2});
                assertArrayEquals(new byte[] {1}, c.readAllBytes(dir + "/before"));
                List<String> sessions = TestCluster.sessionUuids();
                assertTrue(sessions.contains(Adapters.uuid(node, 0)), sessions.toString());
                assertTrue(sessions.contains(Adapters.leaseUuid(node)), sessions.toString());
                c.deleteRecursively(dir);
            }
        } finally {
            first.stop();
        }
        assertTrue(TestCluster.sessionUuids().stream().noneMatch(u -> u.contains(node)),
                "a clean stop also ends the lease session");
    }

    @Test
    void restartAfterACleanStopNeedNotWait() throws Exception {
        String node = Adapters.freshNodeId("restart");
        Adapters.started(node, 2, null).stop();
        long t0 = System.nanoTime();
        CephResourceAdapter again = Adapters.started(node, 2, null);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try {
            String note = again.getLastRecovery().note();
            assertTrue(note.contains("previous owner stopped cleanly"), note);
            System.out.println("restart after clean stop: start took " + millis + " ms (" + note + ")");
        } finally {
            again.stop();
        }
    }
}
