package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Lease directories are named {@code <prefix>-<nodeId>}, so {@code app-x-n1} (node n1 of cluster app-x) looks like
 * node {@code x-n1} of cluster {@code app}. The lease record names its cluster: an adapter of {@code app} leaves a
 * dead-looking node of {@code app-x} alone (it could not reset its sessions anyway: the uuids differ).
 */
class PrefixMembershipTest {

    @Test
    void aNodeOfAClusterWhosePrefixExtendsOursIsNotAPeer() throws Exception {
        String prefix = "pm" + Adapters.freshNodeId("").substring(2);
        String longer = prefix + "-x";
        CephMount m = TestCluster.mounted();
        String dir = OwnerLease.directoryOf(longer, "n1"); // = directoryOf(prefix, "x-n1")
        String record = "cephfs-jca-lease v1 state=running seq=5 instance=i1 prefix=" + longer + " slots=1";
        CephResourceAdapter ra = null;
        try {
            m.mkdirs(dir, 0755);
            try (CephFile f = m.open(OwnerLease.leasePath(dir), O_CREAT | O_RDWR, 0644)) {
                f.write(ByteBuffer.wrap(LeaseRecord.encode(record)), 0);
                f.fsync(true);
            }
            m.open(OwnerLease.takeoverPath(dir), O_CREAT | O_RDWR, 0644).close();
            ra = Adapters.started(Adapters.freshNodeId("member"), 1, x -> {
                x.setUuidPrefix(prefix);
                x.setTakeoverAfterMillis(org.cephfsjca.adapter.config.AdapterConfig.DEFAULT_TAKEOVER_AFTER_MILLIS);
            });
            Thread.sleep(6_000); // listed within 2 s; a takeover would have marked it 1.5 s + 0.3 s later
            assertEquals(0, ra.node().takeoversDone().size(), "took over a node of another cluster");
            assertEquals(record, LeaseRecord.read(m, OwnerLease.leasePath(dir)).toString().trim());
        } finally {
            if (ra != null) {
                ra.stop();
                TestCluster.deleteTree(m, OwnerLease.directoryOf(prefix, ra.getNodeId()));
            }
            TestCluster.deleteTree(m, dir);
            m.close();
        }
    }
}
