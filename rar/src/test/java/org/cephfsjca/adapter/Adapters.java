package org.cephfsjca.adapter;

import java.util.UUID;
import java.util.function.Consumer;

import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.libcephfs.TestCluster;

/** Test support: adapters configured for the local cluster, each with a node id of its own. */
public final class Adapters {

    private Adapters() {
    }

    /** A unique node id, so tests never share session uuids. */
    public static String freshNodeId(String label) {
        return "t" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A configured, not started adapter for the local cluster. */
    public static CephResourceAdapter configured(String nodeId, int slots) {
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(TestCluster.conf());
        ra.setFileSystemName(TestCluster.fsName());
        ra.setNodeId(nodeId);
        ra.setSessionSlots(slots);
        ra.setMountTimeoutSeconds(20);
        return ra;
    }

    /** A started adapter. */
    public static CephResourceAdapter started(String nodeId, int slots, Consumer<CephResourceAdapter> tweak)
            throws Exception {
        CephResourceAdapter ra = configured(nodeId, slots);
        if (tweak != null) {
            tweak.accept(ra);
        }
        ra.start(null);
        return ra;
    }

    /** The non-managed connection factory of a started adapter (plain Java SE, its own small pool). */
    public static CephConnectionFactory factory(CephResourceAdapter ra) throws Exception {
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        return (CephConnectionFactory) mcf.createConnectionFactory();
    }

    /** The session uuid of a slot of {@code nodeId} with the default prefix. */
    public static String uuid(String nodeId, int slot) {
        return "cephfs-jca-" + nodeId + "-" + slot;
    }
}
