package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Never two live owners of one node id: a node is paused past the bound and taken over, a replacement starts under
 * the same node id meanwhile, and then the paused node resumes. It finds itself fenced, and its rejoin's owner check
 * finds the replacement's live heartbeat: it stays fenced for good (status {@code conflict}, one SEVERE line), and the
 * replacement goes on serving.
 */
class FencedConflictTest {

    @Test
    void aFencedNodeWhoseNodeIdWasTakenMeanwhileNeverServesAgain() throws Exception {
        String prefix = "fc" + Adapters.freshNodeId("").substring(2);
        String node = Adapters.freshNodeId("twin");
        String dir = "/jca-tests/conflict-" + node;
        CephMount observer = TestCluster.mounted();
        List<ClusterMember> members = new ArrayList<>();
        try {
            observer.mkdirs(dir, 0755);
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s1"), 2, 0, dir));
            ClusterMember first = ClusterMember.start(prefix, node, 2, 1, dir, dir + "/first-seq");
            members.add(first);
            first.await("WROTE 10", 30_000);
            Thread.sleep(3_000);
            first.pause(true);
            LockProbe.awaitAllFree(observer, dir, 1, 60_000); // taken over

            // the replacement, same node id: its start finds the lease taken over and holds it
            ClusterMember second = ClusterMember.start(prefix, node, 2, 0, dir, dir + "/second-seq");
            members.add(second);
            second.await("WROTE 10", 30_000);

            first.pause(false);
            String stays = first.await("STATE conflict", 60_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!first.output().contains("stays fenced and will not serve again") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(first.output().contains("stays fenced and will not serve again"), first.output());
            assertFalse(first.output().contains("REJOINED"), "the first rejoined although the node id is taken");
            int before = second.output().split("\n").length;
            Thread.sleep(2_000);
            String[] out = second.output().split("\n");
            int wrote = 0;
            for (int i = before; i < out.length; i++) {
                wrote += out[i].startsWith("WROTE ") ? 1 : 0;
            }
            assertTrue(wrote > 10, "the replacement goes on writing: " + wrote);
            assertFalse(second.output().contains("was FENCED"), "the replacement was fenced:\n" + second.output());
            System.out.println("fenced conflict: " + stays);
        } catch (AssertionError | Exception e) {
            throw ClusterMember.failure(e, members);
        } finally {
            for (ClusterMember m : members) {
                m.close();
            }
            TestCluster.deleteTree(observer, dir);
            observer.close();
        }
    }
}
