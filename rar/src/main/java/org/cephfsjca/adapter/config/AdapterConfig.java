package org.cephfsjca.adapter.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.cephfsjca.api.RecoveryMode;

/**
 * The adapter's configuration, validated once at start. Every problem is collected and reported together, each
 * naming the property, the bad value and what is allowed. Immutable; {@link #toString()} never shows the key.
 *
 * <p>Use {@link Builder}: the JavaBean setters of the resource adapter feed it strings as the container gives
 * them.
 */
public final class AdapterConfig {

    /** Defaults, documented in README.md. */
    public static final String DEFAULT_USER = "admin";
    public static final String DEFAULT_UUID_PREFIX = "cephfs-jca";
    public static final int DEFAULT_SESSION_SLOTS = 16;
    public static final int MAX_SESSION_SLOTS = 1024;
    public static final int DEFAULT_SESSION_TIMEOUT = 300;
    public static final int DEFAULT_MOUNT_TIMEOUT = 30;
    public static final int DEFAULT_RECOVERY_TIMEOUT = 30;
    public static final int DEFAULT_LEASE_INTERVAL_MILLIS = 250;
    public static final int DEFAULT_POOL_BLOCKING_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_POOL_SIZE = 16;
    /** The takeover bound: a dead peer's locks are free ~3 s after its death (BENCHMARKS.md, ClusterTakeoverTest). */
    public static final int DEFAULT_TAKEOVER_AFTER_MILLIS = 1500;
    /** The value the takeover tests and docs use (the default). */
    public static final int RECOMMENDED_TAKEOVER_AFTER_MILLIS = DEFAULT_TAKEOVER_AFTER_MILLIS;
    /** How long a stopped or taken-over node's lease directory stays before a peer deletes it: one day. */
    public static final int DEFAULT_LEASE_RETENTION_SECONDS = 86_400;
    public static final int MAX_POOL_SIZE = 10_000;

    private static final Pattern CEPHX_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z0-9_ .-]{1,128}");
    /** Options the adapter sets itself: setting them through cephOptions would break identity or recovery. */
    private static final List<String> RESERVED_OPTIONS = List.of("key", "keyring", "keyfile", "mon_host", "mon host",
            "client_mount_timeout", "client_reconnect_stale", "name", "id");

    private final String configFile;
    private final String monHost;
    private final String user;
    private final String keyringFile;
    private final String key;
    private final String fileSystemName;
    private final String mountRoot;
    private final String nodeId;
    private final String uuidPrefix;
    private final int sessionSlots;
    private final int sessionTimeoutSeconds;
    private final RecoveryMode recoveryMode;
    private final boolean recoveryFallbackToReset;
    private final int recoveryTimeoutSeconds;
    private final int mountTimeoutSeconds;
    private final Map<String, String> cephOptions;
    private final int leaseIntervalMillis;
    private final int takeoverAfterMillis;
    private final int leaseRetentionSeconds;
    private final int maxPoolSize;
    private final int poolBlockingTimeoutMillis;
    private final boolean leakStackTraces;
    private final String uuidSecret;
    private final String previousUuidSecret;
    private final int operationTimeoutSeconds;

    private AdapterConfig(Builder b, String nodeId, RecoveryMode mode, Map<String, String> options) {
        this.configFile = b.configFile;
        this.monHost = b.monHost;
        this.user = b.user == null ? DEFAULT_USER : b.user;
        this.keyringFile = b.keyringFile;
        this.key = b.key;
        this.fileSystemName = b.fileSystemName;
        this.mountRoot = b.mountRoot == null ? "/" : b.mountRoot;
        this.nodeId = nodeId;
        this.uuidPrefix = b.uuidPrefix == null ? DEFAULT_UUID_PREFIX : b.uuidPrefix;
        this.sessionSlots = b.sessionSlots;
        this.sessionTimeoutSeconds = b.sessionTimeoutSeconds;
        this.recoveryMode = mode;
        this.recoveryFallbackToReset = b.recoveryFallbackToReset;
        this.recoveryTimeoutSeconds = b.recoveryTimeoutSeconds;
        this.mountTimeoutSeconds = b.mountTimeoutSeconds;
        this.cephOptions = Collections.unmodifiableMap(options);
        this.leaseIntervalMillis = b.leaseIntervalMillis;
        this.takeoverAfterMillis = b.takeoverAfterMillis;
        this.leaseRetentionSeconds = b.leaseRetentionSeconds;
        this.maxPoolSize = b.maxPoolSize == null ? DEFAULT_MAX_POOL_SIZE : b.maxPoolSize;
        this.poolBlockingTimeoutMillis = b.poolBlockingTimeoutMillis;
        this.leakStackTraces = b.leakStackTraces;
        this.uuidSecret = b.uuidSecret;
        this.previousUuidSecret = b.previousUuidSecret;
        this.operationTimeoutSeconds = b.operationTimeoutSeconds;
    }

    public String configFile() { return configFile; }
    public String monHost() { return monHost; }
    /** cephx id without the {@code client.} prefix. */
    public String user() { return user; }
    public String keyringFile() { return keyringFile; }
    /** The cephx key when configured inline (discouraged), else null. Never log it. */
    public String key() { return key; }
    public String fileSystemName() { return fileSystemName; }
    public String mountRoot() { return mountRoot; }
    public String nodeId() { return nodeId; }
    public String uuidPrefix() { return uuidPrefix; }
    public int sessionSlots() { return sessionSlots; }
    public int sessionTimeoutSeconds() { return sessionTimeoutSeconds; }
    public RecoveryMode recoveryMode() { return recoveryMode; }
    public boolean recoveryFallbackToReset() { return recoveryFallbackToReset; }
    public int recoveryTimeoutSeconds() { return recoveryTimeoutSeconds; }
    public int mountTimeoutSeconds() { return mountTimeoutSeconds; }
    public Map<String, String> cephOptions() { return cephOptions; }
    /** Heartbeat interval of the node lease; 0 disables the live-owner check. */
    public int leaseIntervalMillis() { return leaseIntervalMillis; }
    /** How long a peer's heartbeat may stand still before a survivor takes it over; 0 disables takeover. */
    public int takeoverAfterMillis() { return takeoverAfterMillis; }
    /**
     * Self-fencing: how stale this node's own lease may get before its calls wait for a renewal (and fail if none
     * comes): one lease interval less than the takeover bound, so it stops before peers may act. 0 = off (no takeover).
     */
    public int selfFenceAfterMillis() {
        return takeoverAfterMillis == 0 || leaseIntervalMillis == 0 ? 0 : takeoverAfterMillis - leaseIntervalMillis;
    }
    /** How long a stopped or taken-over peer's lease directory is kept before a survivor deletes it; 0 = forever. */
    public int leaseRetentionSeconds() { return leaseRetentionSeconds; }
    /** Most sessions the non-managed pool holds (idle + in use); a container's pool has its own setting. */
    public int maxPoolSize() { return maxPoolSize; }
    /** How long a non-managed pool checkout waits for a free session before failing; 0 = fail at once. */
    public int poolBlockingTimeoutMillis() { return poolBlockingTimeoutMillis; }
    /** Record where each connection handle is obtained, for the warning when one leaks. */
    public boolean leakStackTraces() { return leakStackTraces; }
    /** The session uuid key when configured (a credential: never log it), else null (derived from the cephx key). */
    public String uuidSecret() { return uuidSecret; }
    /** The uuid key before a rotation, {@code plain} or {@code cephx-key:<key>}, or null. A credential. */
    public String previousUuidSecret() { return previousUuidSecret; }
    /** Longest a native call may take before its session is fenced; 0 = no bound. */
    public int operationTimeoutSeconds() { return operationTimeoutSeconds; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AdapterConfig)) {
            return false;
        }
        AdapterConfig c = (AdapterConfig) o;
        return sessionSlots == c.sessionSlots && sessionTimeoutSeconds == c.sessionTimeoutSeconds
                && recoveryFallbackToReset == c.recoveryFallbackToReset
                && recoveryTimeoutSeconds == c.recoveryTimeoutSeconds && mountTimeoutSeconds == c.mountTimeoutSeconds
                && leaseIntervalMillis == c.leaseIntervalMillis && takeoverAfterMillis == c.takeoverAfterMillis
                && leaseRetentionSeconds == c.leaseRetentionSeconds
                && maxPoolSize == c.maxPoolSize
                && poolBlockingTimeoutMillis == c.poolBlockingTimeoutMillis && leakStackTraces == c.leakStackTraces
                && operationTimeoutSeconds == c.operationTimeoutSeconds && Objects.equals(uuidSecret, c.uuidSecret)
                && Objects.equals(previousUuidSecret, c.previousUuidSecret)
                && Objects.equals(configFile, c.configFile) && Objects.equals(monHost, c.monHost)
                && user.equals(c.user) && Objects.equals(keyringFile, c.keyringFile) && Objects.equals(key, c.key)
                && Objects.equals(fileSystemName, c.fileSystemName) && mountRoot.equals(c.mountRoot)
                && nodeId.equals(c.nodeId) && uuidPrefix.equals(c.uuidPrefix) && recoveryMode == c.recoveryMode
                && cephOptions.equals(c.cephOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configFile, monHost, user, keyringFile, fileSystemName, mountRoot, nodeId, uuidPrefix,
                sessionSlots, recoveryMode);
    }

    @Override
    public String toString() {
        return "AdapterConfig[configFile=" + configFile + ", monHost=" + monHost + ", user=" + user + ", keyringFile="
                + keyringFile + ", key=" + (key == null ? "none" : "<redacted>") + ", fileSystemName="
                + fileSystemName + ", mountRoot=" + mountRoot + ", nodeId=" + nodeId + ", uuidPrefix=" + uuidPrefix
                + ", sessionSlots=" + sessionSlots + ", sessionTimeout=" + sessionTimeoutSeconds + "s, recoveryMode="
                + recoveryMode + (recoveryFallbackToReset ? " (fallback RESET)" : "") + ", recoveryTimeout="
                + recoveryTimeoutSeconds + "s, mountTimeout=" + mountTimeoutSeconds + "s, cephOptions="
                + cephOptions.keySet() + ", leaseInterval=" + leaseIntervalMillis + "ms, takeoverAfter=" + takeoverAfterMillis
                + "ms, leaseRetention=" + leaseRetentionSeconds + "s, maxPoolSize=" + maxPoolSize
                + ", poolBlockingTimeout=" + poolBlockingTimeoutMillis + "ms, leakStackTraces=" + leakStackTraces
                + ", uuidSecret=" + (uuidSecret == null ? "derived from the cephx key" : "<redacted>")
                + (previousUuidSecret == null ? "" : ", previousUuidSecret=<redacted>") + ", operationTimeout="
                + (operationTimeoutSeconds == 0 ? "off" : operationTimeoutSeconds + "s") + "]";
    }

    /** Collects raw property values; {@link #build()} validates them all. */
    public static final class Builder {
        private String configFile;
        private String monHost;
        private String user;
        private String keyringFile;
        private String key;
        private String fileSystemName;
        private String mountRoot;
        private String nodeId;
        private String uuidPrefix;
        private int sessionSlots = DEFAULT_SESSION_SLOTS;
        private int sessionTimeoutSeconds = DEFAULT_SESSION_TIMEOUT;
        private String recoveryMode;
        private boolean recoveryFallbackToReset;
        private int recoveryTimeoutSeconds = DEFAULT_RECOVERY_TIMEOUT;
        private int mountTimeoutSeconds = DEFAULT_MOUNT_TIMEOUT;
        private String cephOptions;
        private int leaseIntervalMillis = DEFAULT_LEASE_INTERVAL_MILLIS;
        private int takeoverAfterMillis = DEFAULT_TAKEOVER_AFTER_MILLIS;
        private int leaseRetentionSeconds = DEFAULT_LEASE_RETENTION_SECONDS;
        private Integer maxPoolSize;
        private int poolBlockingTimeoutMillis = DEFAULT_POOL_BLOCKING_TIMEOUT_MILLIS;
        private boolean leakStackTraces;
        private String uuidSecret;
        private String previousUuidSecret;
        private int operationTimeoutSeconds;

        /** A credential: kept out of every message. */
        public Builder uuidSecret(String v) { uuidSecret = blankToNull(v); return this; }
        public Builder previousUuidSecret(String v) { previousUuidSecret = blankToNull(v); return this; }
        public Builder operationTimeoutSeconds(int v) { operationTimeoutSeconds = v; return this; }

        /** null: as many as sessionSlots. */
        public Builder maxPoolSize(Integer v) { maxPoolSize = v; return this; }
        public Builder poolBlockingTimeoutMillis(int v) { poolBlockingTimeoutMillis = v; return this; }
        public Builder leakStackTraces(boolean v) { leakStackTraces = v; return this; }
        public Builder leaseIntervalMillis(int v) { leaseIntervalMillis = v; return this; }
        public Builder takeoverAfterMillis(int v) { takeoverAfterMillis = v; return this; }
        public Builder leaseRetentionSeconds(int v) { leaseRetentionSeconds = v; return this; }
        public Builder configFile(String v) { configFile = blankToNull(v); return this; }
        public Builder monHost(String v) { monHost = blankToNull(v); return this; }
        public Builder user(String v) { user = blankToNull(v); return this; }
        public Builder keyringFile(String v) { keyringFile = blankToNull(v); return this; }
        public Builder key(String v) { key = blankToNull(v); return this; }
        public Builder fileSystemName(String v) { fileSystemName = blankToNull(v); return this; }
        public Builder mountRoot(String v) { mountRoot = blankToNull(v); return this; }
        public Builder nodeId(String v) { nodeId = blankToNull(v); return this; }
        public Builder uuidPrefix(String v) { uuidPrefix = blankToNull(v); return this; }
        public Builder sessionSlots(int v) { sessionSlots = v; return this; }
        public Builder sessionTimeoutSeconds(int v) { sessionTimeoutSeconds = v; return this; }
        public Builder recoveryMode(String v) { recoveryMode = blankToNull(v); return this; }
        public Builder recoveryFallbackToReset(boolean v) { recoveryFallbackToReset = v; return this; }
        public Builder recoveryTimeoutSeconds(int v) { recoveryTimeoutSeconds = v; return this; }
        public Builder mountTimeoutSeconds(int v) { mountTimeoutSeconds = v; return this; }
        public Builder cephOptions(String v) { cephOptions = blankToNull(v); return this; }

        /**
         * Validates everything and builds; the node id defaults to {@code defaultNodeId} (see {@link NodeIds}).
         *
         * @throws InvalidConfigurationException listing every problem found
         */
        public AdapterConfig build(String defaultNodeId) {
            List<String> problems = new ArrayList<>();
            if (configFile == null && monHost == null) {
                problems.add("configFile or monHost must be set (the ceph.conf path, or the monitors' addresses)");
            }
            if (configFile != null && !Files.isReadable(Path.of(configFile))) {
                problems.add("configFile '" + configFile + "' does not exist or is not readable");
            }
            if (monHost != null && !monHost.matches("[\\[\\]A-Za-z0-9.:,/ -]+")) {
                problems.add("monHost '" + printable(monHost) + "' is not a list of monitor addresses");
            }
            if (user != null && !CEPHX_ID.matcher(user).matches()) {
                problems.add("user '" + printable(user) + "' must be a cephx id of 1-64 [A-Za-z0-9._-] characters, "
                        + "without the 'client.' prefix");
            }
            if (keyringFile != null && !Files.isReadable(Path.of(keyringFile))) {
                problems.add("keyringFile '" + keyringFile + "' does not exist or is not readable");
            }
            if (key != null && !key.matches("[A-Za-z0-9+/=]{16,128}")) {
                problems.add("key is not a base64 cephx key (value not shown)");
            }
            if (fileSystemName != null && !fileSystemName.matches("[A-Za-z0-9._-]{1,128}")) {
                problems.add("fileSystemName '" + printable(fileSystemName) + "' is not a valid file system name");
            }
            if (mountRoot != null && (!mountRoot.startsWith("/") || mountRoot.contains("\0")
                    || mountRoot.matches(".*(^|/)\\.\\.(/|$).*") || mountRoot.length() > 1024)) {
                problems.add("mountRoot '" + printable(mountRoot) + "' must be an absolute path without '..'");
            }
            String node = nodeId != null ? nodeId : defaultNodeId;
            if (node == null || !NODE_ID.matcher(node).matches()) {
                problems.add("nodeId '" + (node == null ? "" : printable(node)) + "' must be 1-64 characters of "
                        + "[A-Za-z0-9._-] (it becomes part of the session uuids)" + (nodeId == null
                        ? "; it defaulted from jboss.node.name or the host name, set it explicitly" : ""));
            }
            if (uuidPrefix != null && !PREFIX.matcher(uuidPrefix).matches()) {
                problems.add("uuidPrefix '" + printable(uuidPrefix) + "' must be 1-32 characters of [A-Za-z0-9._-]");
            }
            if (sessionSlots < 1 || sessionSlots > MAX_SESSION_SLOTS) {
                problems.add("sessionSlots " + sessionSlots + " must be 1.." + MAX_SESSION_SLOTS);
            }
            if (sessionTimeoutSeconds < 10 || sessionTimeoutSeconds > 86_400) {
                problems.add("sessionTimeoutSeconds " + sessionTimeoutSeconds + " must be 10..86400");
            }
            if (recoveryTimeoutSeconds < 1 || recoveryTimeoutSeconds > 3600) {
                problems.add("recoveryTimeoutSeconds " + recoveryTimeoutSeconds + " must be 1..3600");
            }
            if (mountTimeoutSeconds < 1 || mountTimeoutSeconds > 3600) {
                problems.add("mountTimeoutSeconds " + mountTimeoutSeconds + " must be 1..3600");
            }
            if (leaseIntervalMillis != 0 && (leaseIntervalMillis < 100 || leaseIntervalMillis > 60_000)) {
                problems.add("leaseIntervalMillis " + leaseIntervalMillis + " must be 0 (no owner check) or 100..60000");
            }
            if (takeoverAfterMillis != 0 && (takeoverAfterMillis < 4L * leaseIntervalMillis
                    || takeoverAfterMillis > 600_000)) {
                problems.add("takeoverAfterMillis " + takeoverAfterMillis + " must be 0 (no takeover) or at least 4 x"
                        + " leaseIntervalMillis (" + 4L * leaseIntervalMillis + ") and at most 600000: a shorter bound"
                        + " would take over peers whose heartbeat is merely late");
            }
            if (leaseRetentionSeconds < 0 || leaseRetentionSeconds > 31_536_000) {
                problems.add("leaseRetentionSeconds " + leaseRetentionSeconds + " must be 0 (keep forever) or "
                        + "1..31536000 (a year)");
            }
            if (maxPoolSize != null && (maxPoolSize < 1 || maxPoolSize > MAX_POOL_SIZE)) {
                problems.add("maxPoolSize " + maxPoolSize + " must be 1.." + MAX_POOL_SIZE
                        + " (connections share sessions, so it does not depend on sessionSlots)");
            }
            if (poolBlockingTimeoutMillis < 0 || poolBlockingTimeoutMillis > 3_600_000) {
                problems.add("poolBlockingTimeoutMillis " + poolBlockingTimeoutMillis + " must be 0..3600000");
            }
            if (uuidSecret != null && (uuidSecret.length() < 16 || uuidSecret.length() > 4096)) {
                problems.add("uuidSecret must be 16..4096 characters (value not shown); better: 32 or more random "
                        + "ones, e.g. from openssl rand -base64 32");
            }
            if (previousUuidSecret != null && !previousUuidSecret.equals("plain")
                    && !previousUuidSecret.startsWith("cephx-key:")
                    && (previousUuidSecret.length() < 16 || previousUuidSecret.length() > 4096)) {
                problems.add("previousUuidSecret must be 'plain', 'cephx-key:<old key>' or a secret of 16..4096 "
                        + "characters (value not shown)");
            }
            if (operationTimeoutSeconds < 0 || operationTimeoutSeconds > 3600) {
                problems.add("operationTimeoutSeconds " + operationTimeoutSeconds + " must be 0 (no bound) or 1..3600");
            }
            RecoveryMode mode = RecoveryMode.RESET;
            if (recoveryMode != null) {
                try {
                    mode = RecoveryMode.valueOf(recoveryMode.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add("recoveryMode '" + printable(recoveryMode) + "' must be RESET, NONE or RECLAIM");
                }
            }
            Map<String, String> options = parseOptions(cephOptions, problems);
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            // <prefix>-<nodeId>-lease-<24 hex>-probe (OwnerLease's probe) must stay within libcephfs' 128 characters
            if (node != null && node.length() + (uuidPrefix == null ? DEFAULT_UUID_PREFIX : uuidPrefix).length() + 38
                    > 128) {
                throw new InvalidConfigurationException(List.of("uuidPrefix + nodeId are too long for a session uuid: "
                        + "at most 90 characters together"));
            }
            return new AdapterConfig(this, node, mode, options);
        }

        /** {@code name=value} pairs separated by ';' or newlines. */
        private static Map<String, String> parseOptions(String text, List<String> problems) {
            Map<String, String> out = new LinkedHashMap<>();
            if (text == null) {
                return out;
            }
            for (String part : text.split("[;\n]")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    problems.add("cephOptions entry '" + printable(p) + "' must be name=value");
                    continue;
                }
                String name = p.substring(0, eq).trim();
                String value = p.substring(eq + 1).trim();
                if (!OPTION_NAME.matcher(name).matches() || value.contains("\0")) {
                    problems.add("cephOptions entry '" + printable(name) + "' has an invalid name or value");
                } else if (RESERVED_OPTIONS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    problems.add("cephOptions may not set '" + name + "': use the adapter's own property for it");
                } else {
                    out.put(name, value);
                }
            }
            return out;
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v.trim();
        }

        private static String printable(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) {
                sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return sb.toString();
        }
    }
}
