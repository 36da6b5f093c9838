package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.ItEnv;

/**
 * The Payara Micro that Arquillian starts (arquillian.xml, container "payara"): before Arquillian deploys, writes the
 * boot files it names (target/payara/suite: pre-boot and post-boot commands, data grid configuration) with the
 * adapter of a fresh node id. Arquillian's Payara Micro container boots the server inside its deploy, with the
 * post-boot commands (which deploy the .rar and bind the factory) before the war. Registered before
 * ArquillianExtension, so that its beforeAll runs first and its afterAll last: after Arquillian stopped the server,
 * it checks that the adapter's stop left no session of the node in the MDS.
 */
public class PayaraSuite implements BeforeAllCallback, AfterAllCallback {

    public static final int SLOTS = 8;
    public static final int POOL_MAX = 8;

    private static volatile String nodeId;

    /** The node id of the adapter in the suite's server. */
    public static String nodeId() {
        return nodeId;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Ceph.mount().close(); // fails here, saying what to do, when the cluster is not there
        String node = ItEnv.nodeId("payara");
        PayaraConfig.write(PayaraEnv.workDir("suite"), ItEnv.httpPort(), node, "RESET", SLOTS, POOL_MAX);
        nodeId = node;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // Arquillian's Payara Micro container ends the server with SIGTERM: Payara's shutdown stops the adapter
        List<String> left = Ceph.awaitNoSessionsOf(nodeId, 30_000);
        assertEquals(List.of(), left, "the server's stop left sessions of node " + nodeId + " in the MDS");
        System.out.printf("[it] payara: server stopped, no session of node %s left in the MDS%n", nodeId);
    }
}
