package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Nodes that never come back (renamed pods) leave a lease directory each: a running adapter deletes those of nodes
 * that stopped or were taken over once they are older than leaseRetentionSeconds, and keeps the recent ones.
 */
class LeaseCollectionTest {

    @Test
    void oldLeasesOfStoppedAndTakenOverNodesAreDeletedRecentOnesKept() throws Exception {
        String prefix = "lc" + Adapters.freshNodeId("").substring(2);
        CephMount m = TestCluster.mounted();
        String oldStopped = OwnerLease.directoryOf(prefix, "gone-stopped");
        String oldTakenOver = OwnerLease.directoryOf(prefix, "gone-taken-over");
        String recent = OwnerLease.directoryOf(prefix, "recently-stopped");
        CephResourceAdapter ra = null;
        try {
            long twoDaysAgo = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - TimeUnit.DAYS.toNanos(2);
            ghost(m, oldStopped, "state=stopped seq=7 instance=a slots=2", twoDaysAgo);
            ghost(m, oldTakenOver, "state=taken-over seq=9 instance=b by=x at=2026-01-01T00:00:00Z slots=2",
                    twoDaysAgo);
            ghost(m, recent, "state=stopped seq=3 instance=c slots=2", -1);
            ra = Adapters.started(Adapters.freshNodeId("collector"), 2, x -> {
                x.setUuidPrefix(prefix);
                x.setTakeoverAfterMillis(org.cephfsjca.adapter.config.AdapterConfig.DEFAULT_TAKEOVER_AFTER_MILLIS);
                x.setLeaseRetentionSeconds(3_600);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((m.exists(oldStopped) || m.exists(oldTakenOver)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(m.exists(oldStopped), "a stopped node's lease older than the retention is deleted");
            assertFalse(m.exists(oldTakenOver), "a taken-over node's lease older than the retention is deleted");
            assertTrue(m.exists(OwnerLease.leasePath(recent)), "a recent one stays");
        } finally {
            if (ra != null) {
                ra.stop();
            }
            for (String d : new String[] {oldStopped, oldTakenOver, recent,
                    OwnerLease.directoryOf(prefix, ra == null ? "none" : ra.getNodeId())}) {
                if (m.exists(d)) {
                    TestCluster.deleteTree(m, d);
                }
            }
            m.close();
        }
    }

    /** A lease directory as a node leaves it: lease record and takeover file; modified at {@code mtimeNanos}. */
    private static void ghost(CephMount m, String dir, String fields, long mtimeNanos) throws Exception {
        m.mkdirs(dir, 0755);
        try (CephFile f = m.open(OwnerLease.leasePath(dir), O_CREAT | O_RDWR, 0644)) {
            f.write(ByteBuffer.wrap(LeaseRecord.encode("cephfs-jca-lease v1 " + fields)), 0);
        }
        m.open(OwnerLease.takeoverPath(dir), O_CREAT | O_RDWR, 0644).close();
        if (mtimeNanos > 0) {
            m.setTimes(OwnerLease.leasePath(dir), mtimeNanos, mtimeNanos);
        }
    }
}
