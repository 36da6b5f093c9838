package org.cephfsjca.it.pool;

import org.jboss.as.arquillian.container.ManagementClient;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Mgmt;

/**
 * The adapter as {@link AdapterSetup} installs it, and the example app misconfigured on purpose: an upload limit
 * (24) above the pool's 8 connections, so that uploads can exhaust the pool. Set as a system property before the app
 * is deployed (the app reads its limits when it starts); removed afterwards.
 */
public class WideOpenSetup extends AdapterSetup {

    static final String UPLOADS_MAX = "cephfs.example.uploads.max";
    static final int UPLOADS = 24;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.setSystemProperty(UPLOADS_MAX, Integer.toString(UPLOADS));
        }
        try {
            super.setup(client, containerId);
        } catch (Exception | Error e) {
            clear(client); // a failed setup is not torn down
            throw e;
        }
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            super.tearDown(client, containerId);
        } finally {
            clear(client);
        }
    }

    private static void clear(ManagementClient client) {
        try (Mgmt mgmt = Mgmt.of(client.getControllerClient())) {
            mgmt.removeSystemProperty(UPLOADS_MAX);
        }
    }
}
