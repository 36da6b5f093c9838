package org.cephfsjca.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Puts the adapter on the test server the way an operator would, before Arquillian deploys the app: creates the
 * app's users with add-user.sh ({@link ItUsers}), adds MicroProfile Health where it is missing
 * (example-app/src/main/cli/configure-health.cli), applies the example app's server settings (configure-example.cli:
 * no upload size limit, paths passed on undecoded), deploys the real built .rar, then applies
 * rar/src/main/cli/configure-adapter.cli with jboss-cli.sh (which activates the adapter: its start-time recovery
 * runs then). Undoes it all afterwards and checks that no session of the test's node is left in the MDS. A scenario
 * that needs the server configured otherwise says how in {@link #configureServer} and {@link #restoreServer}.
 */
public class AdapterSetup implements ServerSetupTask {

    public static final int SLOTS = 8;
    public static final int POOL_MAX = 8;

    private static volatile String nodeId;
    private static final List<DocDir> TO_CLEAN = new CopyOnWriteArrayList<>();

    /** Deletes {@code dir} when the adapter is undeployed (see {@link DocDir}). */
    static void cleanUpAfterUndeploy(DocDir dir) {
        TO_CLEAN.add(dir);
    }

    /** The node id of the adapter set up for the current test class. */
    public static String nodeId() {
        return nodeId;
    }

    /** A change to the server for a scenario, made before anything else; {@link #restoreServer} undoes it. */
    protected void configureServer(Mgmt mgmt) {
    }

    /** Undoes {@link #configureServer}; must be harmless when it did not run or ran only in part. */
    protected void restoreServer(Mgmt mgmt) {
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        try {
            try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
                configureServer(mgmt);
            }
            installAdapter(client);
        } catch (Exception | Error e) {
            // Arquillian does not tear down a setup that failed: the next test classes must not inherit the change
            restore(client);
            throw e;
        }
    }

    /** Fails right here, with a clear message, when the cluster is not there; makes sure the app's users exist. */
    static void preflight() {
        Ceph.mount().close();
        ItUsers.ensure();
    }

    private void installAdapter(ManagementClient client) throws Exception {
        preflight();
        String node = ItEnv.nodeId("server");
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            // the app's readiness check needs MicroProfile Health, which standalone.xml lacks: the app's script adds
            // it (and reloads) once per server; a jboss-cli.sh run costs seconds, so only when it is missing
            if (!mgmt.exists("subsystem", "microprofile-health-smallrye")) {
                Cli.run(ItEnv.exampleCliScript("configure-health.cli"), Map.of());
                mgmt.awaitRunning();
            }
            mgmt.applyExampleServerSettings();
            // leftovers of an aborted run (the server config is read-only, but be safe); the script only when there
            // is a definition to remove: a jboss-cli.sh run costs seconds, and tearDown runs it every time
            mgmt.undeploy(ItEnv.RAR_NAME);
            if (mgmt.exists("subsystem", "resource-adapters", "resource-adapter", ItEnv.RA)) {
                Cli.run("remove-adapter.cli", Map.of());
            }
            mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
            Cli.run("configure-adapter.cli", Cli.adapterProperties(node, "RESET", SLOTS, POOL_MAX));
        }
        nodeId = node;
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            removeAdapter(client);
        } finally {
            restore(client);
        }
    }

    private void restore(ManagementClient client) {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            restoreServer(mgmt);
        }
    }

    /**
     * Undeploys the .rar and removes its definition with remove-adapter.cli, as an operator would; returns the
     * sessions of {@code node} still in the MDS 10 s later (none, when the adapter's stop unmounted them all).
     */
    static List<String> undeployAdapter(ManagementClient client, String node) throws InterruptedException {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.undeploy(ItEnv.RAR_NAME);
            Cli.run("remove-adapter.cli", Map.of());
        }
        return Ceph.awaitNoSessionsOf(node, 10_000);
    }

    private void removeAdapter(ManagementClient client) throws Exception {
        String node = nodeId;
        List<String> left = undeployAdapter(client, node);
        for (DocDir d : TO_CLEAN) {
            d.cleanUp();
            TO_CLEAN.remove(d);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("undeploying the adapter left sessions of node " + node + " in the MDS: " + left);
        }
        System.out.printf("[it] adapter of node %s undeployed: no session of it left in the MDS%n", node);
    }
}
