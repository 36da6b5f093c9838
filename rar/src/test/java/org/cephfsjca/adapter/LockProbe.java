package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/** An independent client waiting for locks that a dead session holds: bounded, since its open itself may block. */
final class LockProbe {

    private LockProbe() {
    }

    /** Waits until {@code observer} can lock each of {@code dir/file-0..count-1} exclusively; fails at the bound. */
    static void awaitAllFree(CephMount observer, String dir, int count, long boundMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
        ExecutorService pool = Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "lock-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> probes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String path = dir + "/file-" + i;
                long owner = 0x6000_0000L + i;
                probes.add(pool.submit(() -> {
                    try (CephFile f = observer.open(path, O_RDWR, 0)) {
                        while (!f.lock(LockMode.EXCLUSIVE, false, owner)) {
                            if (System.nanoTime() - deadline > 0) {
                                return null;
                            }
                            Thread.sleep(20);
                        }
                        f.unlock(owner);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < count; i++) {
                try {
                    probes.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    fail(dir + "/file-" + i + ": lock still held " + boundMillis + " ms later");
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("locks in " + dir + " still held " + boundMillis + " ms later");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
