package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ResourceAllocationException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Pool hygiene: a pooled session evicted from outside ({@code ceph tell mds.* client evict}) is found by
 * {@code getInvalidConnections} and, once a call fails on it, reported and replaced by a working one.
 */
class AdapterEvictionTest {

    @Test
    void evictedSessionIsFoundInvalid() throws Exception {
        String node = Adapters.freshNodeId("evict1");
        CephResourceAdapter ra = Adapters.started(node, 2, null);
        try {
            CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
            mcf.setResourceAdapter(ra);
            ManagedConnection mc = mcf.createManagedConnection(null, null);
            try {
                assertTrue(mcf.getInvalidConnections(Set.of(mc)).isEmpty(), "a fresh session is valid");
                TestCluster.evictByUuid(Adapters.uuid(node, 0));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (mcf.getInvalidConnections(Set.of(mc)).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(Set.of(mc), mcf.getInvalidConnections(Set.of(mc)), "evicted session must be invalid");
            } finally {
                mc.destroy();
            }
        } finally {
            ra.stop();
        }
    }

    @Test
    void failingCallsReportTheSessionAndThePoolReplacesIt() throws Exception {
        String node = Adapters.freshNodeId("evict2");
        CephResourceAdapter ra = Adapters.started(node, 2, null);
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            String dir = "/jca-tests/evict-" + node;
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
            }
            TestCluster.evictByUuid(Adapters.uuid(node, 0));
            // the pooled (idle) session is now dead; calls through it must fail, not hang or crash
            boolean failed = false;
            try (CephConnection c = cf.getConnection()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; !failed && System.nanoTime() < deadline; i++) {
                    try {
                        c.write(dir + "/after-evict-" + i, new byte[16]);
                        c.stat(dir + "/after-evict-" + i);
                        Thread.sleep(100);
                    } catch (IOException | IllegalStateException expected) {
                        failed = true;
                    }
                }
            }
            assertTrue(failed, "calls on an evicted session must fail");
            // the next connection is a new, working session
            try (CephConnection c = cf.getConnection()) {
                c.write(dir + "/after-replace", new byte[16]);
                assertTrue(c.exists(dir + "/after-replace"));
                c.deleteRecursively(dir);
            }
        } finally {
            ra.stop();
        }
        assertFalse(TestCluster.sessionUuids().stream().anyMatch(u -> u.contains(node)));
    }

    /**
     * An evicted session keeps its slot (and uuid) until the last connection on it is destroyed: a replacement takes
     * another slot, or fails clearly when there is none, and never mounts a uuid that a session still holds.
     */
    @Test
    void aBrokenSessionKeepsItsSlotUntilItsLastConnectionIsGone() throws Exception {
        String node = Adapters.freshNodeId("evict3");
        CephResourceAdapter ra = Adapters.started(node, 1, x -> x.setPoolBlockingTimeoutMillis(0));
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            CephConnection first = cf.getConnection();
            CephConnection second = cf.getConnection();
            assertTrue(first.exists("/") && second.exists("/"));
            TestCluster.evictByUuid(Adapters.uuid(node, 0));
            failsWithin30s(first);
            first.close();
            // the session is retired, but `second` still uses it: its slot, the only one, is not free
            ResourceAllocationException full = assertThrows(ResourceAllocationException.class, cf::getConnection);
            assertTrue(full.getMessage().contains("all 1 session slots of node " + node), full.getMessage());
            second.close();
            // the last connection is gone: the slot is free, and a new session mounts with its uuid again
            try (CephConnection c = cf.getConnection()) {
                assertTrue(c.exists("/"));
            }
            assertTrue(TestCluster.sessionUuids().contains(Adapters.uuid(node, 0)));
        } finally {
            ra.stop();
        }
    }

    private static void failsWithin30s(CephConnection c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                c.stat("/");
                c.write("/jca-tests/evict3-probe-" + System.nanoTime(), new byte[1]);
                Thread.sleep(100);
            } catch (IOException | IllegalStateException expected) {
                return;
            }
        }
        throw new AssertionError("calls on an evicted session must fail");
    }
}
