package org.cephfsjca.adapter.session;

import java.io.IOException;
import java.util.Map;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Creates libcephfs clients configured from {@link AdapterConfig} for a given cephx identity: initialized ones
 * for resets, mounted ones for pooled sessions. The only place that turns configuration into {@code ceph_conf_set}
 * calls.
 */
public final class SessionOpener {

    private final AdapterConfig config;

    public SessionOpener(AdapterConfig config) {
        this.config = config;
    }

    /** An initialized, not mounted client (ceph_create, configuration, ceph_init, session timeout). */
    public CephMount initialized(Identity identity) throws IOException {
        CephMount m = CephMount.create(identity.user());
        try {
            if (config.configFile() != null) {
                m.readConfigFile(config.configFile());
            }
            if (config.monHost() != null) {
                m.setOption("mon_host", config.monHost());
            }
            if (identity.key() != null) {
                m.setOption("key", identity.key());
            } else if (config.keyringFile() != null) {
                m.setOption("keyring", config.keyringFile());
            }
            m.setOption("client_mount_timeout", Integer.toString(config.mountTimeoutSeconds()));
            for (Map.Entry<String, String> o : config.cephOptions().entrySet()) {
                m.setOption(o.getKey(), o.getValue());
            }
            m.init();
            m.setSessionTimeout(config.sessionTimeoutSeconds());
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Mounts an initialized client with session uuid {@code uuid} at the configured root. The caller has reset the
     * uuid's previous session if it wanted to. Closes the client on failure.
     */
    public CephMount mount(CephMount initialized, String uuid) throws IOException {
        try {
            if (config.fileSystemName() != null) {
                initialized.selectFileSystem(config.fileSystemName());
            }
            initialized.setUuid(uuid);
            initialized.mount(config.mountRoot());
            return initialized;
        } catch (IOException | RuntimeException e) {
            initialized.close();
            throw e;
        }
    }

    /** Mounts an initialized client with no uuid (a short-lived probe that nothing will ever need to reset). */
    public CephMount mountAnonymous(CephMount initialized) throws IOException {
        try {
            if (config.fileSystemName() != null) {
                initialized.selectFileSystem(config.fileSystemName());
            }
            initialized.mount(config.mountRoot());
            return initialized;
        } catch (IOException | RuntimeException e) {
            initialized.close();
            throw e;
        }
    }

    public AdapterConfig config() {
        return config;
    }
}
