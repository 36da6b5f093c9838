package org.cephfsjca.adapter;

import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;
import org.cephfsjca.adapter.config.NodeIds;
import org.cephfsjca.adapter.recovery.NodeIdConflictException;
import org.cephfsjca.adapter.recovery.RecoveryFailedException;
import org.cephfsjca.adapter.session.ClusterUnreachableException;
import org.cephfsjca.adapter.stats.NodeStatistics;
import org.cephfsjca.adapter.stats.StatisticsSet;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The resource adapter: holds the cluster configuration (JavaBean properties set by the container, documented in
 * README.md) and, on {@link #start}, validates it and resets the sessions the previous incarnation of this node
 * left, before any connection is served. {@link #stop} unmounts every session.
 *
 * <p>Outside a container: set the properties, call {@code start(null)}, then give it to a
 * {@link CephManagedConnectionFactory}.
 */
public class CephResourceAdapter implements ResourceAdapter, Statistics {

    private static final Logger LOG = Logger.getLogger(CephResourceAdapter.class.getName());

    private final AdapterConfig.Builder builder = new AdapterConfig.Builder();
    // JavaBean state for the getters (the container reads them back)
    private String configFile;
    private String monHost;
    private String user = AdapterConfig.DEFAULT_USER;
    private String keyringFile;
    private String key;
    private String fileSystemName;
    private String mountRoot = "/";
    private String nodeId;
    private String uuidPrefix = AdapterConfig.DEFAULT_UUID_PREFIX;
    private Integer sessionSlots = AdapterConfig.DEFAULT_SESSION_SLOTS;
    private Integer sessionTimeoutSeconds = AdapterConfig.DEFAULT_SESSION_TIMEOUT;
    private String recoveryMode = "RESET";
    private Boolean recoveryFallbackToReset = Boolean.FALSE;
    private Integer recoveryTimeoutSeconds = AdapterConfig.DEFAULT_RECOVERY_TIMEOUT;
    private Integer mountTimeoutSeconds = AdapterConfig.DEFAULT_MOUNT_TIMEOUT;
    private String cephOptions;
    private Integer leaseIntervalMillis = AdapterConfig.DEFAULT_LEASE_INTERVAL_MILLIS;
    private Integer takeoverAfterMillis = AdapterConfig.DEFAULT_TAKEOVER_AFTER_MILLIS;
    private Integer leaseRetentionSeconds = AdapterConfig.DEFAULT_LEASE_RETENTION_SECONDS;
    private Integer maxPoolSize;
    private Integer poolBlockingTimeoutMillis = AdapterConfig.DEFAULT_POOL_BLOCKING_TIMEOUT_MILLIS;
    private Boolean leakStackTraces = Boolean.FALSE;
    private String uuidSecret;
    private String previousUuidSecret;
    private Integer operationTimeoutSeconds = 0;

    private volatile NodeSessions node;
    /** The node's statistics (names fixed now: WildFly reads them when it deploys the adapter, before start). */
    private final StatisticsSet statistics = NodeStatistics.create(() -> node);
    /** The node id this instance holds in {@link JvmInstances}, released by {@link #stop()}. */
    private volatile AdapterConfig claimed;

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        AdapterConfig config;
        try {
            config = builder.build(NodeIds.defaultNodeId());
        } catch (InvalidConfigurationException e) {
            throw new ResourceAdapterInternalException(JvmInstances.anyRunning()
                    ? e.getMessage() + " (" + JvmInstances.explanation(null, null) + ")" : e.getMessage(), e);
        }
        String holder = JvmInstances.claim(config, this);
        if (holder != null && config.leaseIntervalMillis() == 0) {
            // no lease to prove the other instance alive: refuse before touching anything
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId()
                    + ": node id " + config.nodeId() + " is in use by a live cephfs-jca adapter: "
                    + JvmInstances.explanation(config.nodeId(), holder) + " No session was touched.");
        }
        boolean started = false;
        try {
            startSessions(config, holder);
            started = true;
        } finally {
            if (!started && holder == null) {
                JvmInstances.release(config);
            }
        }
        claimed = holder == null ? config : null;
    }

    private void startSessions(AdapterConfig config, String holder) throws ResourceAdapterInternalException {
        LOG.info(() -> "cephfs-jca: starting with " + config);
        NodeSessions sessions;
        try {
            sessions = new NodeSessions(config);
        } catch (InvalidConfigurationException e) {
            throw new ResourceAdapterInternalException(e.getMessage(), e);
        }
        try {
            sessions.start();
        } catch (NodeIdConflictException e) {
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId() + ": "
                    + e.getMessage() + (holder == null ? "" : " " + JvmInstances.explanation(config.nodeId(), holder)),
                    e);
        } catch (RecoveryFailedException e) {
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId() + ": "
                    + e.getMessage(), e);
        } catch (ClusterUnreachableException e) {
            // bounded by mountTimeoutSeconds: a cluster that is down fails the deployment, it never blocks boot
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId() + ": "
                    + e.getMessage(), e);
        } catch (org.cephfsjca.adapter.watchdog.FencingUnavailableException e) {
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId() + ": "
                    + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new ResourceAdapterInternalException("cephfs-jca: start failed for node " + config.nodeId()
                    + ": cannot reach the cluster or the lease file: " + e.getMessage(), e);
        }
        node = sessions;
        // once started: libcephfs is loaded by then, and a start that fails keeps its own clear error
        LOG.info(() -> "cephfs-jca: native access: " + CephMount.nativeAccess());
    }

    @Override
    public void stop() {
        NodeSessions n = node;
        node = null;
        if (n != null) {
            n.stop();
        }
        AdapterConfig c = claimed;
        claimed = null;
        if (c != null) {
            JvmInstances.release(c);
        }
    }

    /** The started node's sessions; fails clearly if the adapter was not started. */
    NodeSessions node() {
        NodeSessions n = node;
        if (n == null) {
            throw new IllegalStateException("cephfs-jca resource adapter is not started (or was stopped)");
        }
        return n;
    }

    /**
     * IronJacamar's statistics SPI: the node's recovery, takeovers, fencing and lease, shown by WildFly under
     * {@code resource-adapter=X/statistics=extended} (org.cephfsjca.adapter.stats; docs/wildfly.md).
     */
    @Override
    public StatisticsPlugin getStatistics() {
        return statistics;
    }

    /** The started node's sessions, or null: for the statistics, which read zeros before start. */
    NodeSessions startedNode() {
        return node;
    }

    /** The last recovery report, or null before start. */
    public RecoveryReport getLastRecovery() {
        NodeSessions n = node;
        return n == null ? null : n.lastRecovery();
    }

    @Override
    public void endpointActivation(MessageEndpointFactory f, ActivationSpec spec) throws ResourceException {
        throw new NotSupportedException("cephfs-jca has no inbound messaging");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory f, ActivationSpec spec) {
        // no inbound endpoints
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return null; // NoTransaction: CephFS has no transactions
    }

    // ----------------------------------------------------------------- config properties

    public String getConfigFile() { return configFile; }
    public void setConfigFile(String v) { configFile = v; builder.configFile(v); }
    public String getMonHost() { return monHost; }
    public void setMonHost(String v) { monHost = v; builder.monHost(v); }
    public String getUser() { return user; }
    public void setUser(String v) { user = v; builder.user(v); }
    public String getKeyringFile() { return keyringFile; }
    public void setKeyringFile(String v) { keyringFile = v; builder.keyringFile(v); }
    /** Write-only in effect: the getter never returns the key. */
    public String getKey() { return key == null ? null : "<redacted>"; }
    public void setKey(String v) { key = v; builder.key(v); }
    public String getFileSystemName() { return fileSystemName; }
    public void setFileSystemName(String v) { fileSystemName = v; builder.fileSystemName(v); }
    public String getMountRoot() { return mountRoot; }
    public void setMountRoot(String v) { mountRoot = v; builder.mountRoot(v); }
    public String getNodeId() { return nodeId; }
    public void setNodeId(String v) { nodeId = v; builder.nodeId(v); }
    public String getUuidPrefix() { return uuidPrefix; }
    public void setUuidPrefix(String v) { uuidPrefix = v; builder.uuidPrefix(v); }
    public Integer getSessionSlots() { return sessionSlots; }
    public void setSessionSlots(Integer v) { sessionSlots = v; builder.sessionSlots(v == null ? 0 : v); }
    public Integer getSessionTimeoutSeconds() { return sessionTimeoutSeconds; }
    public void setSessionTimeoutSeconds(Integer v) {
        sessionTimeoutSeconds = v;
        builder.sessionTimeoutSeconds(v == null ? 0 : v);
    }
    public String getRecoveryMode() { return recoveryMode; }
    public void setRecoveryMode(String v) { recoveryMode = v; builder.recoveryMode(v); }
    public Boolean getRecoveryFallbackToReset() { return recoveryFallbackToReset; }
    public void setRecoveryFallbackToReset(Boolean v) {
        recoveryFallbackToReset = v;
        builder.recoveryFallbackToReset(Boolean.TRUE.equals(v));
    }
    public Integer getRecoveryTimeoutSeconds() { return recoveryTimeoutSeconds; }
    public void setRecoveryTimeoutSeconds(Integer v) {
        recoveryTimeoutSeconds = v;
        builder.recoveryTimeoutSeconds(v == null ? 0 : v);
    }
    public Integer getMountTimeoutSeconds() { return mountTimeoutSeconds; }
    public void setMountTimeoutSeconds(Integer v) {
        mountTimeoutSeconds = v;
        builder.mountTimeoutSeconds(v == null ? 0 : v);
    }
    public String getCephOptions() { return cephOptions; }
    public void setCephOptions(String v) { cephOptions = v; builder.cephOptions(v); }
    public Integer getLeaseIntervalMillis() { return leaseIntervalMillis; }
    public void setLeaseIntervalMillis(Integer v) {
        leaseIntervalMillis = v;
        builder.leaseIntervalMillis(v == null ? 0 : v);
    }
    public Integer getLeaseRetentionSeconds() { return leaseRetentionSeconds; }
    public void setLeaseRetentionSeconds(Integer v) {
        leaseRetentionSeconds = v;
        builder.leaseRetentionSeconds(v == null ? AdapterConfig.DEFAULT_LEASE_RETENTION_SECONDS : v);
    }
    public Integer getTakeoverAfterMillis() { return takeoverAfterMillis; }
    public void setTakeoverAfterMillis(Integer v) {
        takeoverAfterMillis = v;
        builder.takeoverAfterMillis(v == null ? 0 : v);
    }
    public Integer getMaxPoolSize() { return maxPoolSize; }
    public void setMaxPoolSize(Integer v) { maxPoolSize = v; builder.maxPoolSize(v); }
    public Integer getPoolBlockingTimeoutMillis() { return poolBlockingTimeoutMillis; }
    public void setPoolBlockingTimeoutMillis(Integer v) {
        poolBlockingTimeoutMillis = v;
        builder.poolBlockingTimeoutMillis(v == null ? AdapterConfig.DEFAULT_POOL_BLOCKING_TIMEOUT_MILLIS : v);
    }
    public Boolean getLeakStackTraces() { return leakStackTraces; }
    public void setLeakStackTraces(Boolean v) {
        leakStackTraces = v;
        builder.leakStackTraces(Boolean.TRUE.equals(v));
    }

    /** A credential: the getter never returns it. */
    public String getUuidSecret() { return uuidSecret == null ? null : "<redacted>"; }
    public void setUuidSecret(String v) { uuidSecret = v; builder.uuidSecret(v); }
    /** A credential: the getter never returns it. */
    public String getPreviousUuidSecret() { return previousUuidSecret == null ? null : "<redacted>"; }
    public void setPreviousUuidSecret(String v) { previousUuidSecret = v; builder.previousUuidSecret(v); }
    public Integer getOperationTimeoutSeconds() { return operationTimeoutSeconds; }
    public void setOperationTimeoutSeconds(Integer v) {
        operationTimeoutSeconds = v;
        builder.operationTimeoutSeconds(v == null ? 0 : v);
    }

    /** Identity: one adapter instance is one node's set of sessions (IronJacamar requires these to be declared). */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        NodeSessions n = node;
        return "CephResourceAdapter[" + (n == null ? "not started" : n.config().toString()) + "]";
    }
}
