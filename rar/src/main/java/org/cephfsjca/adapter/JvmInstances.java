package org.cephfsjca.adapter;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cephfsjca.adapter.config.AdapterConfig;

/**
 * The adapter instances started in this JVM (this class loader: one deployed .rar), by node id and uuid prefix. A
 * server normally starts one instance per deployed .rar; WildFly starts one more for every application's
 * {@code @ConnectionFactoryDefinition(resourceAdapter = "cephfs-jca")}, with ra.xml's defaults instead of the
 * server's adapter properties and its own start, recovery and lease. Such an instance must never run under a node
 * id that a running instance has: it would share that node's session uuids and lease and reset its sessions. The
 * lease proves a live owner and refuses (also across servers); with the lease off ({@code leaseIntervalMillis} 0)
 * this registry is what refuses. Either way the refusal says that it is another instance in this JVM, and why there
 * is one (docs/payara.md, "@ConnectionFactoryDefinition").
 */
final class JvmInstances {

    private static final Map<String, String> RUNNING = new ConcurrentHashMap<>();

    private JvmInstances() {
    }

    private static String key(AdapterConfig c) {
        return c.uuidPrefix() + "|" + c.nodeId();
    }

    /** Claims the config's node id; null when claimed, else a description of the instance that has it. */
    static String claim(AdapterConfig c, Object instance) {
        String mine = "instance " + Integer.toHexString(System.identityHashCode(instance)) + ", started "
                + Instant.now();
        String theirs = RUNNING.putIfAbsent(key(c), mine);
        return theirs;
    }

    static void release(AdapterConfig c) {
        RUNNING.remove(key(c));
    }

    /** Whether any instance runs in this JVM (for the explanation of a failed start). */
    static boolean anyRunning() {
        return !RUNNING.isEmpty();
    }

    /** Why there may be a second instance, and what to do; {@code holder} null when unknown. */
    static String explanation(String nodeId, String holder) {
        return "another cephfs-jca adapter instance runs in this JVM"
                + (nodeId == null ? "" : " under node id " + nodeId)
                + (holder == null ? "" : " (" + holder + ")") + ". An application's "
                + "@ConnectionFactoryDefinition(resourceAdapter = ...) makes WildFly start an adapter instance of its "
                + "own, with its own start, recovery and lease, configured by ra.xml's defaults (the server's adapter "
                + "properties do not apply to it), so it must not run under the server's node id, and it cannot be "
                + "given another. Use the server's connection factory instead (the portable java:app/ceph/FileSystem "
                + "of docs/wildfly.md, mapped to it); on Payara the definition uses the server's instance "
                + "(docs/payara.md, \"@ConnectionFactoryDefinition\").";
    }
}
