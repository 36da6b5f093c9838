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

    /**
     * The owner record's process proof (OwnerProcess) only ever shortens the check for a process that is gone: a live
     * owner in another process on this machine is still found through its heartbeat, and nothing is reset. Once it
     * is killed, the next start proves it dead by its process.
     */
    @Test
    void aLiveOwnerInAnotherProcessOnThisMachineIsStillRefusedAndOnceKilledProvenDeadByItsProcess() throws Exception {
        String node = Adapters.freshNodeId("dupproc");
        String dir = "/jca-tests/dupproc-" + node;
        try (org.cephfsjca.libcephfs.CephMount observer = TestCluster.mounted()) {
            observer.mkdirs(dir, 0755);
            Process child = Adapters.startLockHolder(node, 2, 1, dir);
            try {
                Adapters.awaitLockHolder(child, node);
                ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                        () -> Adapters.configured(node, 2).start(null));
                assertTrue(e.getMessage().contains("node id " + node + " is in use by a live cephfs-jca adapter")
                        && e.getMessage().contains("pid " + child.pid()), e.getMessage());
                assertTrue(child.isAlive(), "the live owner was not touched");
                assertTrue(TestCluster.sessionUuids().contains(Adapters.uuid(node, 0)), "its session was not reset");
            } finally {
                child.destroyForcibly(); // SIGKILL
                child.waitFor(30, TimeUnit.SECONDS);
            }
            CephResourceAdapter again = Adapters.started(node, 2, null);
            try {
                String note = again.getLastRecovery().note();
                assertTrue(note.contains("pid " + child.pid()) && note.contains("no longer runs on this machine"), note);
                assertTrue(again.getLastRecovery().sessionsReset() == 1, again.getLastRecovery().summary());
                Adapters.assertLocksFreeAndDataIntact(observer, node, dir, 1);
            } finally {
                again.stop();
                TestCluster.deleteTree(observer, dir);
            }
        }
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
