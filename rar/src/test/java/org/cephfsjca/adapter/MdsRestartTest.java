package org.cephfsjca.adapter;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * The MDS is killed (-9) and restarted while several threads use pooled connections (write, stat, read, lock loops;
 * two keep one connection throughout, two borrow one per round). Every call must succeed or fail with a clear
 * exception, no call may stay blocked long after the MDS is back, and the pool must then hand out working
 * connections without an adapter restart.
 *
 * <p>The bound: libcephfs 16 has no per-request deadline (a call that needs the MDS waits for an active one, however
 * long the outage lasts; only ceph_init/ceph_mount's monitor phase obeys client_mount_timeout). So the stated bound is
 * "blocked no longer than the outage plus the adapter's mountTimeoutSeconds", the time it allows a client to connect.
 */
class MdsRestartTest {

    private static final int WORKERS = 4;
    private static final int HOLDERS = 2;
    private static final int MOUNT_TIMEOUT_SECONDS = 10;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(MOUNT_TIMEOUT_SECONDS);
    /** restart-mds gives up after this; a restarted MDS waits up to mds_reconnect_timeout (45 s) for dead clients. */
    private static final int MDS_RESTART_BOUND_SECONDS = 60;

    @Test
    @Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void callsSucceedOrFailClearlyAndThePoolWorksAfterTheRestart() throws Exception {
        String node = Adapters.freshNodeId("mds");
        CephResourceAdapter ra = Adapters.started(node, 12, r -> r.setMountTimeoutSeconds(MOUNT_TIMEOUT_SECONDS));
        CallLog log = new CallLog();
        List<Thread> workers = new ArrayList<>();
        boolean killed = false;
        boolean restarted = false;
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        CephConnectionFactory cf = (CephConnectionFactory) mcf.createConnectionFactory();
        String dir = "/jca-tests/mds-" + node;
        ManagedConnection idle = null;
        try {
            idle = mcf.createManagedConnection(null, null); // stays idle through the outage
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
            }
            for (int w = 0; w < WORKERS; w++) {
                Worker worker = new Worker(cf, log, dir + "/w" + w, w < HOLDERS);
                Thread t = new Thread(worker::run, "mds-worker-" + w);
                t.setDaemon(true); // a thread stuck in libcephfs must not keep the JVM alive
                workers.add(t);
                t.start();
            }
            Thread.sleep(2000); // every worker is in its loop, its file and caps exist

            long killAt = System.nanoTime();
            killed = true;
            TestCluster.restartMds(MDS_RESTART_BOUND_SECONDS);
            long activeAt = System.nanoTime();
            restarted = true;

            long poolBackAt = awaitWorkingPool(cf, dir, activeAt + GRACE_NANOS);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(activeAt + TimeUnit.SECONDS.toNanos(2)
                    - System.nanoTime()))); // let the workers run on the recovered MDS a little
            log.stop();
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(activeAt + GRACE_NANOS - System.nanoTime())));
            }
            String idleVerdict = checkIdleSession(mcf, idle, dir);

            System.out.printf("mds restart: outage (kill to up:active) %d ms; %s; pool working %d ms after "
                            + "up:active; idle session: %s%n", millis(activeAt - killAt), log.summary(killAt),
                    millis(poolBackAt - activeAt), idleVerdict);
            for (Thread t : workers) {
                if (t.isAlive()) {
                    fail(t.getName() + " still blocked " + MOUNT_TIMEOUT_SECONDS + " s after the MDS was active:"
                            + stack(t));
                }
            }
            log.assertEveryCallEndedClearly(activeAt, GRACE_NANOS);
            assertTrue(log.succeededAfter(activeAt) >= WORKERS, "workers made progress after the restart: "
                    + log.summary(killAt));
        } finally {
            log.stop();
            if (killed && !restarted) {
                TestCluster.restartMds(MDS_RESTART_BOUND_SECONDS); // the tests after this one need an active MDS
            }
            cleanUp(ra, cf, idle, dir);
        }
    }

    /** Best effort: a cleanup failure is printed, never allowed to hide the test's own failure. */
    private static void cleanUp(CephResourceAdapter ra, CephConnectionFactory cf, ManagedConnection idle, String dir) {
        try (CephConnection c = cf.getConnection()) {
            if (idle != null) {
                idle.destroy();
            }
            c.deleteRecursively(dir);
        } catch (Exception e) {
            System.out.println("mds restart test: cleanup failed: " + e);
        } finally {
            ra.stop();
        }
    }

    /**
     * Holds {@value #WORKERS} connections at once (distinct sessions) and does a write/read/lock round trip on each,
     * retrying until {@code deadline}; returns when all worked.
     */
    private static long awaitWorkingPool(CephConnectionFactory cf, String dir, long deadline) throws Exception {
        Exception last = null;
        do {
            List<CephConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < WORKERS; i++) {
                    CephConnection c = cf.getConnection();
                    held.add(c);
                    String path = dir + "/check-" + i;
                    byte[] data = ("check " + i).getBytes(StandardCharsets.UTF_8);
                    c.write(path, data, CREATE, TRUNCATE_EXISTING, WRITE);
                    assertTrue(Arrays.equals(data, c.readAllBytes(path)), path + " reads back what was written");
                    c.tryLock(path, LockMode.EXCLUSIVE).orElseThrow(() -> new IOException(path + ": lock busy"))
                            .close();
                }
                return System.nanoTime();
            } catch (IOException | ResourceException e) {
                last = e;
                Thread.sleep(100);
            } finally {
                held.forEach(CephConnection::close);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the pool did not hand out working connections within " + MOUNT_TIMEOUT_SECONDS
                + " s of the MDS being active", last);
    }

    /**
     * A session idle through the outage: either it reconnected and still works, or the pool's validation finds it
     * invalid. What it must not be is "valid" and broken.
     */
    private static String checkIdleSession(CephManagedConnectionFactory mcf, ManagedConnection idle, String dir)
            throws Exception {
        if (!mcf.getInvalidConnections(Set.of(idle)).isEmpty()) {
            return "found invalid by getInvalidConnections";
        }
        CephConnection c = (CephConnection) idle.getConnection(null, null);
        try {
            c.write(dir + "/idle", new byte[8], CREATE, TRUNCATE_EXISTING, WRITE);
            assertEquals(8, c.stat(dir + "/idle").size());
        } finally {
            c.close();
        }
        return "valid and working (it reconnected)";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }

    /** One worker: rounds of write, stat, read (checked), lock+unlock on its own file, each call logged. */
    private static final class Worker {
        private final CephConnectionFactory cf;
        private final CallLog log;
        private final String path;
        private final boolean holds;

        Worker(CephConnectionFactory cf, CallLog log, String path, boolean holds) {
            this.cf = cf;
            this.log = log;
            this.path = path;
            this.holds = holds;
        }

        void run() {
            CephConnection c = null;
            for (int round = 0; !log.stopped(); round++) {
                try {
                    if (c == null) {
                        c = log.call("getConnection", null, cf::getConnection);
                    }
                    round(c, ("round " + round + " of " + path).getBytes(StandardCharsets.UTF_8));
                    if (!holds) {
                        c.close();
                        c = null;
                    }
                } catch (Throwable failed) { // already logged; a failed session is given back, a new one taken
                    if (c != null) {
                        c.close();
                        c = null;
                    }
                }
            }
            if (c != null) {
                c.close();
            }
        }

        private void round(CephConnection c, byte[] data) throws Throwable {
            log.call("write", path, () -> {
                c.write(path, data, CREATE, TRUNCATE_EXISTING, WRITE);
                return null;
            });
            log.call("stat", path, () -> c.stat(path));
            log.call("read", path, () -> {
                byte[] got = c.readAllBytes(path);
                if (!Arrays.equals(data, got)) {
                    throw new AssertionError(path + ": read back " + got.length + " bytes, not what was written");
                }
                return got;
            });
            log.call("lock", path, () -> {
                try (CephLock l = c.tryLock(path, LockMode.EXCLUSIVE)
                        .orElseThrow(() -> new IOException(path + ": own lock unavailable"))) {
                    return l;
                }
            });
        }
    }
}
