package org.cephfsjca.adapter.session;

import java.io.IOException;
import java.util.Map;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.libcephfs.CallWatch;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Creates libcephfs clients configured from {@link AdapterConfig} for a given cephx identity: initialized ones
 * for resets, mounted ones for pooled sessions. The only place that turns configuration into {@code ceph_conf_set}
 * calls.
 */
public final class SessionOpener {

    private final AdapterConfig config;
    private volatile SessionUuids uuids;
    private volatile CallWatch.Watcher watcher;
    private volatile CephMount leaseSession;

    public SessionOpener(AdapterConfig config) {
        this.config = config;
    }

    /**
     * This node's session uuids under the configured secret (and the previous one, if given); the secret is resolved
     * once (a derived one reads the keyring). Peers' uuids: {@code uuids().forNode(peer)}.
     *
     * @throws org.cephfsjca.adapter.config.InvalidConfigurationException when no secret can be had
     */
    public SessionUuids uuids() {
        SessionUuids u = uuids;
        if (u == null) {
            synchronized (this) {
                u = uuids;
                if (u == null) {
                    u = new SessionUuids(config.uuidPrefix(), config.nodeId(), UuidSecret.current(config),
                            UuidSecret.previous(config));
                    uuids = u;
                }
            }
        }
        return u;
    }

    /** Every client made from now on is watched by {@code w} (operationTimeoutSeconds); null: none. */
    public void watchWith(CallWatch.Watcher w) {
        this.watcher = w;
    }

    /**
     * Stops watching the lease session (once its lease is held): its heartbeat runs on a thread of its own, never on
     * a request thread, and a fenced lease session would read as a takeover by another server.
     */
    public void unwatchLeaseSession() {
        CephMount m = leaseSession;
        if (m != null) {
            m.watch(null);
        }
    }

    /**
     * An initialized, not mounted client (ceph_create, configuration, ceph_init, session timeout). Configuration:
     * the file, then the adapter's {@link CephDefaults} for what the file left at Ceph's values, then the adapter's
     * own options and {@code cephOptions}.
     */
    public CephMount initialized(Identity identity) throws IOException {
        return initialized(identity, true);
    }

    /**
     * A client that only resets another session's uuid and is released right after: no session timeout. With one,
     * the MDS keeps the client's own (uuid-less) session "to be reclaimed" across an MDS restart, and a reset client
     * whose process died before its release (a crash right after a start) kept a restarted MDS in up:clientreplay
     * until that session timed out (measured: 4 such sessions from SIGKILLed test JVMs, five minutes).
     */
    public CephMount initializedForReset(Identity identity) throws IOException {
        return initialized(identity, false);
    }

    /**
     * As {@link #initializedForReset(Identity)}, on the CephContext of {@code contextOf} (an initialized reset client
     * of the same identity): the same configuration, at a third of the CPU (see {@link CephMount#sharingContextOf}).
     */
    public CephMount initializedForReset(CephMount contextOf) throws IOException {
        CephMount m = watched(CephMount.sharingContextOf(contextOf));
        try {
            init(m);
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private CephMount initialized(Identity identity, boolean withSessionTimeout) throws IOException {
        CephMount m = watched(CephMount.create(identity.user()));
        try {
            CephDefaults defaults = new CephDefaults(m);
            if (config.configFile() != null) {
                m.readConfigFile(config.configFile());
            }
            defaults.apply(m); // what ceph.conf set stays; cephOptions, set below, win over both
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
            init(m);
            if (withSessionTimeout) {
                m.setSessionTimeout(config.sessionTimeoutSeconds());
            }
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** {@code m}, watched by the current watcher (operationTimeoutSeconds), if any. */
    private CephMount watched(CephMount m) {
        CallWatch.Watcher w = watcher;
        if (w != null) {
            m.watch(w);
        }
        return m;
    }

    /**
     * ceph_init gives up after client_mount_timeout when no monitor answers (measured: 3.00 s for 3, whether the port
     * refuses connections or accepts and stays silent); say so in words, with the addresses tried.
     */
    private void init(CephMount m) throws IOException {
        try {
            m.init();
        } catch (CephFileSystemException e) {
            if (e.errno() != Errno.ETIMEDOUT) {
                throw e;
            }
            throw new ClusterUnreachableException(monitors(m), config.mountTimeoutSeconds(), e);
        }
    }

    private String monitors(CephMount m) {
        try {
            String hosts = m.getOption("mon_host");
            return hosts.isBlank() ? "(no mon_host configured)" : hosts;
        } catch (IOException | RuntimeException e) {
            return config.monHost() != null ? config.monHost() : "(mon_host of " + config.configFile() + ")";
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
            if (uuids != null && uuid.equals(uuids.lease())) {
                leaseSession = initialized;
            }
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
