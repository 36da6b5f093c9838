package org.cephfsjca.it;

/**
 * The adapter as {@link AdapterSetup} installs it, and one of the example app's limits (a system property,
 * docs/example-app.md) set to a value of the scenario's before the app is deployed (the app reads its limits when it
 * starts); removed afterwards.
 */
public abstract class AppSettingSetup extends AdapterSetup {

    private final String name;
    private final String value;

    protected AppSettingSetup(String name, String value) {
        this.name = name;
        this.value = value;
    }

    @Override
    protected void configureServer(Mgmt mgmt) {
        mgmt.setSystemProperty(name, value);
    }

    @Override
    protected void restoreServer(Mgmt mgmt) {
        mgmt.removeSystemProperty(name);
    }
}
