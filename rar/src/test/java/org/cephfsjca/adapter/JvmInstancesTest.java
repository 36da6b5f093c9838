package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ResourceAdapterInternalException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A second adapter instance in the JVM, as WildFly starts one for an application's
 * {@code @ConnectionFactoryDefinition}: it never runs under the node id of a running instance, and its refusal says
 * why there is a second instance. (With the lease on, the lease refuses, NodeIdGuardTest; here it is off.)
 */
class JvmInstancesTest {

    @Test
    void withTheLeaseOffASecondInstanceOfTheSameNodeIdIsRefusedBeforeTouchingAnything() throws Exception {
        String node = Adapters.freshNodeId("jvm2");
        String dir = "/jca-tests/jvm2-" + node;
        CephResourceAdapter first = Adapters.started(node, 2, r -> r.setLeaseIntervalMillis(0));
        try {
            CephConnectionFactory cf = Adapters.factory(first);
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
                c.write(dir + "/before", new byte[] {1});
                CephResourceAdapter second = Adapters.configured(node, 2);
                second.setLeaseIntervalMillis(0);
                ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                        () -> second.start(null));
                String m = e.getMessage();
                assertTrue(m.contains("node id " + node + " is in use by a live cephfs-jca adapter")
                        && m.contains("in this JVM") && m.contains("@ConnectionFactoryDefinition")
                        && m.contains("No session was touched"), m);
                System.out.println("second instance refused: " + m);
                // the first instance's session was not reset
                c.write(dir + "/after", new byte[] {2});
                assertArrayEquals(new byte[] {1}, c.readAllBytes(dir + "/before"));
                assertTrue(TestCluster.sessionUuids().contains(Adapters.uuid(node, 0)));
                c.deleteRecursively(dir);
            }
        } finally {
            first.stop();
        }
        // stopped: the node id is free again in this JVM
        CephResourceAdapter again = Adapters.started(node, 2, r -> r.setLeaseIntervalMillis(0));
        again.stop();
    }

    @Test
    void anUnconfiguredSecondInstanceSaysWhyItExists() throws Exception {
        String node = Adapters.freshNodeId("jvm2u");
        CephResourceAdapter first = Adapters.started(node, 2, null);
        try {
            CephResourceAdapter unconfigured = new CephResourceAdapter(); // ra.xml's defaults: no configFile, monHost
            ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                    () -> unconfigured.start(null));
            assertTrue(e.getMessage().contains("configFile") && e.getMessage().contains("@ConnectionFactoryDefinition"),
                    e.getMessage());
        } finally {
            first.stop();
        }
    }
}
