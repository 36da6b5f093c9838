package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A node dies and the MDS restarts at the same time, and the node never comes back. The restarted MDS waits in
 * up:clientreplay for the dead node's sessions (they have uuids): with nobody to reset them, the whole file system
 * stays inactive until they time out (minutes). A survivor takes the dead node over all the same, because neither its
 * proof (heartbeats read from RADOS) nor its arbitration (a claim object created at the OSDs) needs the MDS: the MDS
 * must be up:active within the reconnect phase plus a few seconds, and the dead node's lock free.
 *
 * <p>The reconnect phase is cut to {@value #RECONNECT_SECONDS} s (mds_reconnect_timeout) for the test.
 */
class MdsRestartTakeoverTest {

    private static final int RECONNECT_SECONDS = 8;

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void survivorsGetTheMdsOutOfClientReplayWhenADeadPeerNeverReturns() throws Exception {
        String prefix = "mr" + Adapters.freshNodeId("").substring(2);
        String victim = Adapters.freshNodeId("gone");
        String dir = "/jca-tests/mds-restart-takeover-" + victim;
        CephMount observer = TestCluster.mounted();
        List<ClusterMember> members = new ArrayList<>();
        TestCluster.ceph("config", "set", "mds", "mds_reconnect_timeout", Integer.toString(RECONNECT_SECONDS));
        Thread restart = null;
        try {
            observer.mkdirs(dir, 0755);
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s1"), 2, 0, dir));
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s2"), 2, 0, dir));
            ClusterMember v = ClusterMember.start(prefix, victim, 2, 1, dir);
            Thread.sleep(3_000);

            AtomicReference<Throwable> restartFailed = new AtomicReference<>();
            restart = new Thread(() -> {
                try {
                    TestCluster.restartMds(120);
                } catch (Throwable t) {
                    restartFailed.set(t);
                }
            }, "restart-mds");
            restart.setDaemon(true);
            v.kill();
            long killed = System.nanoTime();
            restart.start();
            long active = MdsRestartResetTest.awaitMdsState("active", restart, restartFailed);
            // (the old MDS was up:active too until the restart killed it: wait for the restart to return)
            restart.join(TimeUnit.SECONDS.toMillis(150));
            assertFalse(restart.isAlive(), "restart-mds returned");
            if (restartFailed.get() != null) {
                throw new AssertionError("restart-mds failed (the MDS did not get active)", restartFailed.get());
            }
            long activeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            LockProbe.awaitAllFree(observer, dir, 1, 30_000);
            // the survivor reports once its resets are verified (an EPERM answer is checked by a mount): bounded wait
            List<String> takeovers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (takeovers.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                for (ClusterMember m : members) {
                    takeovers.addAll(m.linesStarting("TAKEOVER " + victim + " "));
                }
            }
            Thread.sleep(2_000); // a second, wrong takeover would be reported by now
            takeovers.clear();
            for (ClusterMember m : members) {
                takeovers.addAll(m.linesStarting("TAKEOVER " + victim + " "));
            }
            assertEquals(1, takeovers.size(), "takeovers of " + victim + ": " + takeovers);
            System.out.printf("mds restart takeover: MDS up:active again %d ms after the kill and restart "
                    + "(reconnect %d s); %s%n", activeMillis, RECONNECT_SECONDS, takeovers.get(0));
            assertFalse(active == 0);
        } catch (AssertionError | Exception e) {
            throw ClusterMember.failure(e, members);
        } finally {
            TestCluster.ceph("config", "rm", "mds", "mds_reconnect_timeout");
            if (restart != null && restart.isAlive()) {
                restart.join(TimeUnit.SECONDS.toMillis(150)); // the tests after this one need an active MDS
            }
            for (ClusterMember m : members) {
                m.close();
            }
            TestCluster.deleteTree(observer, dir);
            observer.close();
        }
    }
}
