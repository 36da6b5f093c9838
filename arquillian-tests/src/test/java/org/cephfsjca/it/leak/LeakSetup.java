package org.cephfsjca.it.leak;

import java.util.Map;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Mgmt;

/**
 * The adapter as {@link AdapterSetup} installs it, on a server whose cached connection manager closes and reports
 * connection handles an EJB leaves open ({@code debug=true}; WildFly's default only tracks them). Undone afterwards:
 * the next test classes must not inherit debug mode (it would also close the example app's check-outs, which hold
 * connections across requests on purpose).
 */
public class LeakSetup extends AdapterSetup {

    private static final String[] CCM = {"subsystem", "jca", "cached-connection-manager", "cached-connection-manager"};

    @Override
    protected void configureServer(Mgmt mgmt) {
        mgmt.run("write-attribute", Map.of("name", "debug", "value", "true"), CCM);
        mgmt.reloadAndWait();
    }

    @Override
    protected void restoreServer(Mgmt mgmt) {
        mgmt.run("undefine-attribute", Map.of("name", "debug"), CCM);
        mgmt.reloadAndWait();
    }
}
