package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SlotOutcome;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * The lifecycle hook after a real crash: a child JVM running the adapter holds locks through several pooled sessions
 * (several slots) and is SIGKILLed. A new adapter start for the same node resets all of them, and a separate client
 * gets every lock at once with the data intact. With recovery mode NONE the locks stay held.
 */
class AdapterCrashRecoveryTest {

    private static final int SLOTS = 4;
    private static final int HELD = 3;
    private static CephMount observer;

    @BeforeAll
    static void observer() throws Exception {
        observer = TestCluster.mounted();
    }

    @AfterAll
    static void close() {
        if (observer != null) {
            observer.close();
        }
    }

    @Test
    void restartWithResetFreesEveryLockAtOnce() throws Exception {
        String node = Adapters.freshNodeId("crash");
        String dir = "/jca-tests/crash-" + node;
        observer.mkdirs(dir, 0755);
        crash(node, dir);

        long t0 = System.nanoTime();
        CephResourceAdapter ra = Adapters.started(node, SLOTS, null);
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try {
            RecoveryReport r = ra.getLastRecovery();
            assertEquals(RecoveryMode.RESET, r.mode());
            // the child's HELD connections shared one session: one reset frees all their locks
            assertEquals(1, r.sessionsReset(), r.summary());
            assertEquals(SLOTS - 1, r.notFound(), r.summary());
            assertEquals(0, r.failed(), r.summary());
            assertTrue(r.note().contains("dead") && r.note().contains("lease session: RESET"), r.note());
            // the child ran on this machine: its process is gone, which proves it dead without the lease read's bound
            assertTrue(r.note().contains("no longer runs on this machine"), r.note());
            SlotOutcome o = r.slots().get(0);
            assertEquals(SlotOutcome.Result.RESET, o.result(), o.toString());
            assertEquals(Adapters.uuid(node, 0), o.uuid());
            // every lock is free right away for an unrelated client, and the fsynced data is there
            long t1 = System.nanoTime();
            Adapters.assertLocksFreeAndDataIntact(observer, node, dir, HELD);
            System.out.printf("adapter crash test: start (recovery) %d ms, %s; all %d locks free %d ms later%n",
                    startMillis, r.summary(), HELD, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
        } finally {
            ra.stop();
        }
    }

    @Test
    void restartWithNoneLeavesTheLocksHeld() throws Exception {
        String node = Adapters.freshNodeId("crashnone");
        String dir = "/jca-tests/crash-" + node;
        observer.mkdirs(dir, 0755);
        crash(node, dir);

        CephResourceAdapter ra = Adapters.started(node, SLOTS, x -> x.setRecoveryMode("NONE"));
        ExecutorService probe = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "none-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            assertEquals(0, ra.getLastRecovery().sessionsReset());
            // the open itself may block on the dead session's caps: probe on another thread, bounded
            AtomicReference<Boolean> got = new AtomicReference<>();
            Future<?> f = probe.submit(() -> {
                try (CephFile file = observer.open(dir + "/file-0", O_RDWR, 0)) {
                    got.set(file.lock(LockMode.EXCLUSIVE, false, 2000));
                    if (got.get()) {
                        file.unlock(2000);
                    }
                }
                return null;
            });
            Thread.sleep(5_000);
            assertTrue(got.get() == null || !got.get(), "with NONE the dead session's lock must still be held");
            f.cancel(true);
        } finally {
            ra.stop();
            // leave no stale sessions behind for the rest of the suite
            for (int slot = 0; slot < HELD; slot++) {
                try (CephMount cleaner = TestCluster.initialized()) { // one reclaim per client
                    cleaner.resetSession(Adapters.uuid(node, slot));
                }
            }
            probe.shutdownNow();
        }
    }

    private static void crash(String node, String dir) throws Exception {
        Adapters.crashLockHolder(node, SLOTS, HELD, dir);
    }
}
