package org.cephfsjca.it.load;

import org.cephfsjca.it.AppSettingSetup;

/**
 * The adapter as {@link org.cephfsjca.it.AdapterSetup} installs it, and uploads over the limit (3 at once) waiting up
 * to {@value #UPLOAD_WAIT_MS} ms for a place instead of the default 5 s. The load's ~10 connections uploading at a
 * time queue for the 3 places; how long they wait scales with the machine's speed. Measured on the shared 2-core
 * machine: PUT p99 2.6 s at load ~20, but 6.8 s at load ~35, where the default bound answered 12 of 892 requests 503
 * {@code busy}: a fixed bound too tight for a loaded machine, not a fault of the server. The bound stays a bound
 * (the downloads' default).
 */
public class LoadSetup extends AppSettingSetup {

    static final int UPLOAD_WAIT_MS = 60_000;

    public LoadSetup() {
        super("cephfs.example.uploads.waitMillis", Integer.toString(UPLOAD_WAIT_MS));
    }
}
