package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Crash after crash for one node id: each cycle a child JVM starts the adapter (recovering the previous cycle's
 * crash), takes 8 connections each holding an exclusive lock on its own fsynced file, and is SIGKILLed. After each
 * recovering start an unrelated client gets the crashed cycle's 8 locks at once and reads its data; a final start +
 * clean stop in this JVM leaves no session of the node in the MDS.
 */
class RepeatedCrashTest {

    private static final int CYCLES = 5;
    private static final int LOCKS = 8;
    private static final Pattern READY = Pattern.compile("READY startMillis=(\\d+) reset=(\\d+) failed=(\\d+) \\|.*");

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyCrashIsRecoveredByTheNextStart() throws Exception {
        String node = Adapters.freshNodeId("cycles");
        String base = "/jca-tests/cycles-" + node;
        List<String> perCycle = new ArrayList<>();
        CephMount observer = TestCluster.mounted();
        try {
            // every cycle's directory up front: a crashed child's dead sessions keep caps on the parent, which would
            // block creating the next one in it until a start resets them (measured: a mkdir here hung for minutes)
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                observer.mkdirs(base + "/cycle-" + cycle, 0755);
            }
            String previousDir = null;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                String dir = base + "/cycle-" + cycle; // each cycle's files, created by its child
                String ready = Adapters.crashLockHolder(node, LOCKS, LOCKS, dir);
                Matcher m = READY.matcher(ready);
                assertTrue(m.matches(), ready);
                if (previousDir != null) {
                    // this child's start recovered the previous cycle's crash, before it took its own locks
                    // its LOCKS connections shared one session
                    assertEquals(1, Integer.parseInt(m.group(2)), "sessions reset: " + ready);
                    assertEquals(0, Integer.parseInt(m.group(3)), "resets failed: " + ready);
                    assertTrue(ready.contains("lease session: RESET"), ready);
                    long t0 = System.nanoTime();
                    Adapters.assertLocksFreeAndDataIntact(observer, node, previousDir, LOCKS);
                    perCycle.add("cycle " + cycle + ": start " + m.group(1) + " ms (recovery of cycle " + (cycle - 1)
                            + "), its 8 locks checked in " + millisSince(t0) + " ms");
                }
                previousDir = dir;
            }
            // the last crash is recovered in this JVM
            long t0 = System.nanoTime();
            CephResourceAdapter ra = Adapters.started(node, LOCKS, null);
            long startMillis = millisSince(t0);
            try {
                RecoveryReport r = ra.getLastRecovery();
                assertEquals(1, r.sessionsReset(), r.summary());
                assertEquals(0, r.failed(), r.summary());
                Adapters.assertLocksFreeAndDataIntact(observer, node, previousDir, LOCKS);
                perCycle.add("final start: " + startMillis + " ms (recovery of cycle " + (CYCLES - 1) + ")");
            } finally {
                ra.stop();
            }
            // a clean start and stop after all that leaves nothing behind
            Adapters.started(node, LOCKS, null).stop();
            String prefix = Adapters.uuid(node, 0).replaceAll("0$", "");
            List<String> left = TestCluster.sessionUuids().stream().filter(u -> u.startsWith(prefix)).toList();
            assertTrue(left.isEmpty(), "sessions of node " + node + " left in the MDS: " + left);
            System.out.println("repeated crash: " + String.join("; ", perCycle));
        } finally {
            TestCluster.cleanUp(observer, base);
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
