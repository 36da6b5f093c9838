package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.recovery.LeaseRootBlockedException;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A node that died holding caps on the lease root (lease sessions have them: the peer listing asks for them) blocks
 * the creation of a new node's directory until it is reset or its 300 s session times out. With no peer to take it
 * over (takeover off here), a new node's first start must fail within its mount timeout, naming the directory and the
 * way out, instead of waiting five minutes; once the dead node is reset, the same start succeeds.
 */
class LeaseRootBlockedTest {

    private static final int MOUNT_TIMEOUT_SECONDS = 3;

    @Test
    void aNewNodesStartFailsWithinTheMountTimeoutWhileADeadNodeHoldsTheLeaseRootAndStartsOnceItIsReset()
            throws Exception {
        String dead = Adapters.freshNodeId("rootdead");
        String fresh = Adapters.freshNodeId("rootnew");
        // the dead node is alone in its cluster (a prefix of its own): nobody takes it over
        String prefix = "rootdead-" + dead.substring(dead.length() - 8);
        String dir = "/jca-tests/rootblocked-" + dead;
        long leaseRoot;
        try (CephMount observer = TestCluster.mounted()) {
            observer.mkdirs(dir, 0755);
            observer.mkdirs(OwnerLease.DIRECTORY, 0755);
            leaseRoot = observer.stat(OwnerLease.DIRECTORY).inode();
        }
        ClusterMember member = ClusterMember.start(prefix, dead, 1, 1, dir);
        try {
            // the precondition, checked rather than assumed: a session of the node has Fs on the lease root (its
            // peer listing, every 2 s with takeover on, asks for it; a path walk alone gets it only when the
            // directory's filelock happens to be in sync then)
            awaitSharedCapsOnLeaseRoot(dead, leaseRoot);
        } finally {
            member.kill(); // SIGKILL: its sessions stay, caps and all
        }

        CephResourceAdapter blocked = Adapters.configured(fresh, 1);
        blocked.setMountTimeoutSeconds(MOUNT_TIMEOUT_SECONDS);
        long t0 = System.nanoTime();
        Throwable failure = startOutcome(blocked, 60);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (failure == null) {
            blocked.stop();
            fail("the start succeeded although a dead node held Fs on " + OwnerLease.DIRECTORY);
        }
        LeaseRootBlockedException cause = causeOf(failure);
        String nodeDir = OwnerLease.directoryOf("cephfs-jca", fresh);
        assertTrue(cause.getFile().equals(nodeDir) && cause.getMessage().contains("mountTimeoutSeconds")
                && cause.getMessage().contains("took over"), cause.getMessage());
        System.out.println("start refused in " + millis + " ms: " + cause.getMessage());
        blocked.stop(); // idempotent after a failed start

        // the dead node restarts (a reset of its sessions): the lease root is free, the new node starts
        CephResourceAdapter restarted = Adapters.started(dead, 1, x -> x.setUuidPrefix(prefix));
        try {
            CephResourceAdapter again = Adapters.configured(fresh, 1);
            again.setMountTimeoutSeconds(MOUNT_TIMEOUT_SECONDS);
            Throwable second = startOutcome(again, 60);
            try {
                assertTrue(second == null, "the start after the dead node's reset failed: " + second);
            } finally {
                again.stop();
            }
            try (org.cephfsjca.api.CephConnection c = Adapters.factory(restarted).getConnection()) {
                c.deleteRecursively(dir);
            }
        } finally {
            restarted.stop();
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (TestCluster.sessionUuids().stream().anyMatch(u -> u.contains(fresh)) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(TestCluster.sessionUuids().stream().noneMatch(u -> u.contains(fresh)),
                "no session of the new node is left, not even the probe of its failed start: "
                        + TestCluster.sessionUuids());
    }

    private static final java.util.regex.Pattern CLIENT_CAPS = java.util.regex.Pattern.compile(
            "\"client_id\"\\s*:\\s*(\\d+)\\s*,\\s*\"pending\"\\s*:\\s*\"[^\"]*\"\\s*,\\s*\"issued\"\\s*:\\s*\"([^\"]*)\"");

    /** Waits (at most 15 s) until a session whose uuid names {@code node} is issued Fs on inode {@code ino}. */
    private static void awaitSharedCapsOnLeaseRoot(String node, long ino) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String caps = "";
        while (System.nanoTime() < end) {
            java.util.Set<Long> ids = new java.util.HashSet<>();
            TestCluster.sessionIdsByUuid().forEach((uuid, id) -> {
                if (uuid.contains(node)) {
                    ids.add(id);
                }
            });
            caps = TestCluster.ceph("tell", "mds.*", "dump", "inode", Long.toString(ino));
            java.util.regex.Matcher m = CLIENT_CAPS.matcher(caps);
            while (m.find()) {
                if (ids.contains(Long.parseLong(m.group(1))) && m.group(2).contains("Fs")) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("no session of node " + node + " was issued Fs on " + OwnerLease.DIRECTORY + " within 15 s: " + caps);
    }

    /** null when the start succeeded; the failure otherwise. Fails the test if the start does not end in time. */
    private static Throwable startOutcome(CephResourceAdapter ra, int boundSeconds) throws Exception {
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
            try {
                ra.start(null);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            start.get(boundSeconds, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            fail("the start did not end within " + boundSeconds + " s\n" + Hangs.threadDump());
            return null;
        }
    }

    private static LeaseRootBlockedException causeOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LeaseRootBlockedException) {
                return (LeaseRootBlockedException) c;
            }
        }
        throw new AssertionError("not a LeaseRootBlockedException: " + t, t);
    }
}
