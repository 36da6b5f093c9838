package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.resource.spi.ManagedConnection;

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
}
