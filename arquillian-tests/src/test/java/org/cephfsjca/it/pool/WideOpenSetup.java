package org.cephfsjca.it.pool;

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
    protected void configureServer(Mgmt mgmt) {
        mgmt.setSystemProperty(UPLOADS_MAX, Integer.toString(UPLOADS));
    }

    @Override
    protected void restoreServer(Mgmt mgmt) {
        mgmt.removeSystemProperty(UPLOADS_MAX);
    }
}
