package org.cephfsjca.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * The adapter under a cephx user of its own whose key comes from WildFly's credential store, never in plain text:
 * a fresh user (so its key is a string that appears nowhere else), an Elytron encrypted expression of its key, the
 * adapter defined by configure-adapter.cli with that user, and the {@code key} property set to the expression
 * before the archive is deployed (deploying it starts the adapter). The ceph.conf the adapter reads names only the
 * admin keyring, so the adapter can only authenticate with the key the expression resolves to.
 */
public class SecretKeySetup implements ServerSetupTask {

    private static volatile String user;
    private static volatile String key;
    private static volatile String nodeId;

    /** The cephx key of the test user (client side only: the test greps the server's outputs for it). */
    static String key() {
        return key;
    }

    static String user() {
        return user;
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        AdapterSetup.preflight();
        String u = "jca-it-" + UUID.randomUUID().toString().substring(0, 8);
        Ceph.ceph("fs", "authorize", ItEnv.fsName(), "client." + u, "/", "rw");
        String k = Ceph.ceph("auth", "print-key", "client." + u).trim();
        user = u;
        key = k;
        String node = ItEnv.nodeId("secret");
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.undeploy(ItEnv.RAR_NAME);
            Cli.run("remove-adapter.cli", Map.of());
            String expression = mgmt.encryptedExpression(k);
            Map<String, String> props = new java.util.LinkedHashMap<>(Cli.adapterProperties(node, "RESET", 4, 4));
            props.put("ceph.user", u);
            Cli.run("configure-adapter.cli", props); // the archive is not deployed yet: nothing starts
            mgmt.run("add", Map.of("value", expression), "subsystem", "resource-adapters", "resource-adapter",
                    ItEnv.RA, "config-properties", "key");
            mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
        }
        nodeId = node;
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        List<String> left = AdapterSetup.undeployAdapter(client, nodeId);
        Ceph.ceph("auth", "rm", "client." + user);
        if (!left.isEmpty()) {
            throw new AssertionError("undeploying the adapter left sessions of node " + nodeId + ": " + left);
        }
    }
}
