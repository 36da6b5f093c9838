package org.cephfsjca.bench;

import java.util.UUID;

import org.cephfsjca.adapter.CephConnectionFactoryImpl;
import org.cephfsjca.adapter.CephManagedConnectionFactory;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * A started adapter with a fresh node id (so no earlier run's sessions are reset under it) and its non-managed
 * connection factory, as a plain Java SE application uses it. Closing closes the factory and stops the adapter.
 */
final class BenchAdapter implements AutoCloseable {

    final CephResourceAdapter ra;
    final CephConnectionFactory factory;

    private BenchAdapter(CephResourceAdapter ra, CephConnectionFactory factory) {
        this.ra = ra;
        this.factory = factory;
    }

    /** A fresh benchmark node id: {@code bench-<tag>-<random>} (BenchCluster resets leftovers by the prefix). */
    static String freshNodeId(String tag) {
        return BenchCluster.NODE_PREFIX + tag + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @param leaseIntervalMs the node lease heartbeat, or null for the adapter's default */
    static BenchAdapter start(String nodeId, int slots, Integer leaseIntervalMs) throws Exception {
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(Env.conf());
        ra.setFileSystemName(Env.fsName());
        ra.setNodeId(nodeId);
        ra.setTakeoverAfterMillis(0); // measured alone: no takeover of other benchmark nodes in the background
        ra.setSessionSlots(slots);
        if (leaseIntervalMs != null) {
            ra.setLeaseIntervalMillis(leaseIntervalMs);
        }
        ra.start(null);
        try {
            CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
            mcf.setResourceAdapter(ra);
            return new BenchAdapter(ra, (CephConnectionFactory) mcf.createConnectionFactory());
        } catch (Exception | Error e) {
            ra.stop();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (factory instanceof CephConnectionFactoryImpl f) {
                f.close();
            }
        } finally {
            ra.stop();
        }
    }
}
