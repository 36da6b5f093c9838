package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * An MDS that stops answering for longer than the takeover bound makes every peer's lease read go unanswered at once,
 * exactly as a dead peer's would. None of three live members may take another over for that: the takeover proves the
 * peer dead with a fresh read once the MDS answers its arbitration flock, and live peers answer it. (Without that
 * re-check, each member evicted the others when the MDS came back.)
 */
class MdsPauseTakeoverTest {

    private static final int PAUSE_SECONDS = 5;

    @Test
    void anMdsPauseLongerThanTheBoundTakesNoLivePeerOver() throws Exception {
        String prefix = "mp" + Adapters.freshNodeId("").substring(2);
        String dir = "/jca-tests/mds-pause-" + prefix;
        CephMount observer = TestCluster.mounted();
        List<ClusterMember> members = new ArrayList<>();
        try {
            observer.mkdirs(dir, 0755);
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("m1"), 4, 1, dir));
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("m2"), 4, 0, dir));
            ClusterMember writer = ClusterMember.start(prefix, Adapters.freshNodeId("m3"), 4, 0, dir, dir + "/seq");
            members.add(writer);
            writer.await("WROTE 10", 30_000);
            Thread.sleep(3_000); // every member has listed the others and read their heartbeats

            TestCluster.pauseMds(60);
            try {
                Thread.sleep(PAUSE_SECONDS * 1_000L);
            } finally {
                TestCluster.resumeMds(120);
            }
            int before = writer.output().split("\n").length;
            Thread.sleep(8_000); // takeovers queued during the pause run now: each proves its peer alive
            String[] out = writer.output().split("\n");
            int wrote = 0;
            for (int i = before; i < out.length; i++) {
                wrote += out[i].startsWith("WROTE ") ? 1 : 0;
            }
            for (ClusterMember m : members) {
                assertEquals(List.of(), m.linesStarting("TAKEOVER "), m.node + " took a live peer over");
                assertFalse(m.output().contains("was FENCED"), m.node + " was fenced");
            }
            assertTrue(wrote > 10, "the writer writes again after the MDS resumed: " + wrote);
        } catch (AssertionError | Exception e) {
            throw ClusterMember.failure(e, members);
        } finally {
            for (ClusterMember m : members) {
                m.close();
            }
            TestCluster.cleanUp(observer, dir);
            observer.close();
        }
    }
}
