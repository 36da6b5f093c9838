package org.cephfsjca.it.leak;

import java.util.Map;

import org.jboss.as.arquillian.container.ManagementClient;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Mgmt;

/**
 * The adapter as {@link AdapterSetup} installs it, on a server whose cached connection manager closes and reports
 * connection handles an EJB leaves open ({@code debug=true}; WildFly's default only tracks them). Undone afterwards.
 */
public class LeakSetup extends AdapterSetup {

    private static final String[] CCM = {"subsystem", "jca", "cached-connection-manager", "cached-connection-manager"};

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.run("write-attribute", Map.of("name", "debug", "value", "true"), CCM);
            mgmt.reloadAndWait();
        }
        try {
            super.setup(client, containerId);
        } catch (Exception | Error e) {
            // Arquillian does not tear down a setup that failed: the next test classes must not inherit debug mode
            // (it would also close the example app's check-outs, which hold connections across requests on purpose)
            restoreDefault(client);
            throw e;
        }
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            super.tearDown(client, containerId);
        } finally {
            restoreDefault(client);
        }
    }

    private static void restoreDefault(ManagementClient client) {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.run("undefine-attribute", Map.of("name", "debug"), CCM);
            mgmt.reloadAndWait();
        }
    }
}
