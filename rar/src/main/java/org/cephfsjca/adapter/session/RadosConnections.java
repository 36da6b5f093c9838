package org.cephfsjca.adapter.session;

import java.io.IOException;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.libcephfs.RadosAdmin;

/**
 * The one place a librados handle is configured from the adapter's settings and an identity (ceph.conf, monitors,
 * key or keyring) and connected: the watchdog's fencing, the peers' heartbeat reads and takeover claims, and the
 * start's question about the MDS state all use it, so credentials are handled alike everywhere.
 */
public final class RadosConnections {

    private RadosConnections() {
    }

    /**
     * A connected handle as {@code identity}.
     *
     * @param connectTimeoutSeconds bounds the connect ({@code client_mount_timeout})
     * @param monOpTimeoutSeconds   bounds each monitor command ({@code rados_mon_op_timeout}); 0 = none
     * @param osdOpTimeoutSeconds   bounds each object operation ({@code rados_osd_op_timeout}); 0 = none
     */
    public static RadosAdmin connect(AdapterConfig config, Identity identity, int connectTimeoutSeconds,
                                     int monOpTimeoutSeconds, int osdOpTimeoutSeconds) throws IOException {
        RadosAdmin r = RadosAdmin.create(identity.user());
        try {
            if (config.configFile() != null) {
                r.readConfigFile(config.configFile());
            }
            if (config.monHost() != null) {
                r.setOption("mon_host", config.monHost());
            }
            if (identity.key() != null) {
                r.setOption("key", identity.key());
            } else if (config.keyringFile() != null) {
                r.setOption("keyring", config.keyringFile());
            }
            r.setOption("client_mount_timeout", Integer.toString(connectTimeoutSeconds));
            if (monOpTimeoutSeconds > 0) {
                r.setOption("rados_mon_op_timeout", Integer.toString(monOpTimeoutSeconds));
            }
            if (osdOpTimeoutSeconds > 0) {
                r.setOption("rados_osd_op_timeout", Integer.toString(osdOpTimeoutSeconds));
            }
            r.connect();
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }
}
