package org.cephfsjca.it.pool;

import org.cephfsjca.it.AppSettingSetup;

/**
 * The adapter as {@link org.cephfsjca.it.AdapterSetup} installs it, and the example app misconfigured on purpose: an
 * upload limit (24) above the pool's 8 connections, so that uploads can exhaust the pool.
 */
public class WideOpenSetup extends AppSettingSetup {

    static final int UPLOADS = 24;

    public WideOpenSetup() {
        super("cephfs.example.uploads.max", Integer.toString(UPLOADS));
    }
}
