package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.resource.spi.ResourceAdapterInternalException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.adapter.session.SharedSession;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.libcephfs.Blackhole;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.NativeHandles;
import org.cephfsjca.libcephfs.OperationTimeoutException;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * operationTimeoutSeconds without disturbing the cluster: the adapter's session is cut off from the MDS
 * ({@link Blackhole}: its messages to and from the MDS are dropped, as if no MDS were up, for this client only) while
 * 8 threads are in calls that need the MDS. Every call returns within timeout + 2 s with an exception naming the call,
 * the path and the timeout; the session is fenced (blocklisted) and replaced; the pool serves again at once (the MDS
 * is there for the new session); nothing is left: no native handle, no thread inside libcephfs. And a user that may
 * not blocklist cannot start the adapter with a timeout: the message names the missing cap.
 *
 * <p>The MDS really stopped: {@link WatchdogMdsStopTest}.
 */
class WatchdogTest {

    private static final int THREADS = 8;
    private static final int TIMEOUT_SECONDS = 5;
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS + 2);

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void callsCutOffFromTheMdsFailWithinTheBoundAndTheSessionIsReplaced() throws Exception {
        long mountsBefore = NativeHandles.mounts();
        long filesBefore = NativeHandles.files();
        String node = Adapters.freshNodeId("wd");
        // no lease (leaseIntervalMillis=0): the shared /.cephfs-jca directory is not what this test is about
        CephResourceAdapter ra = Adapters.started(node, 12, r -> {
            r.setOperationTimeoutSeconds(TIMEOUT_SECONDS);
            r.setLeaseIntervalMillis(0);
        });
        String dir = "/jca-tests/wd-" + node;
        List<Thread> threads = new ArrayList<>();
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection c = cf.getConnection()) {
                c.mkdirs(dir);
            }
            List<SharedSession> sessions = ra.node().openSessions();
            assertEquals(1, sessions.size(), "one shared session");
            SharedSession victim = sessions.get(0);
            String victimUuid = victim.uuid();
            CephMount mount = victim.mount();

            CyclicBarrier inCall = new CyclicBarrier(THREADS + 1);
            long[] took = new long[THREADS];
            Throwable[] failure = new Throwable[THREADS];
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int i = 0; i < THREADS; i++) {
                int t = i;
                Thread th = new Thread(() -> {
                    try (CephConnection c = cf.getConnection()) {
                        c.write(dir + "/warm-" + t, new byte[] {1}); // the session works
                        inCall.await(30, TimeUnit.SECONDS);
                        inCall.await(30, TimeUnit.SECONDS); // the main thread cut the session off meanwhile
                        long t0 = System.nanoTime();
                        try {
                            // each needs the MDS: a mkdir, a create
                            if (t % 2 == 0) {
                                c.mkdirs(dir + "/sub-" + t);
                            } else {
                                c.write(dir + "/new-" + t, ("data " + t).getBytes(StandardCharsets.UTF_8));
                            }
                            failure[t] = new AssertionError("the call returned normally with no MDS to answer it");
                        } catch (Exception e) {
                            failure[t] = e;
                        } finally {
                            took[t] = System.nanoTime() - t0;
                        }
                    } catch (Exception e) {
                        failure[t] = e;
                    } finally {
                        done.countDown();
                    }
                }, "wd-caller-" + i);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
            inCall.await(30, TimeUnit.SECONDS);
            Blackhole.mds(mount, true);
            long cutAt = System.nanoTime();
            inCall.await(30, TimeUnit.SECONDS);
            assertTrue(done.await(TIMEOUT_SECONDS + 20, TimeUnit.SECONDS), "every caller returned");
            long allBackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
            long longest = 0;
            for (int t = 0; t < THREADS; t++) {
                longest = Math.max(longest, took[t]);
                Throwable e = failure[t];
                assertTrue(e instanceof OperationTimeoutException, "caller " + t + ": " + e);
                assertTrue(org.cephfsjca.adapter.fault.FatalErrors.isFatal(e), "fatal: the pool replaces the connection");
                String msg = e.getMessage();
                assertTrue(msg.contains(dir + "/") && msg.contains("operationTimeoutSeconds=" + TIMEOUT_SECONDS)
                        && msg.contains("ceph_") && msg.contains("fenced"), msg);
                assertTrue(took[t] <= BOUND_NANOS, "caller " + t + " took " + TimeUnit.NANOSECONDS.toMillis(took[t])
                        + " ms, bound " + TimeUnit.NANOSECONDS.toMillis(BOUND_NANOS) + " ms: " + msg);
            }
            System.out.printf("watchdog (blackholed MDS): %d callers back %d ms after the cut, longest call %d ms "
                    + "(timeout %d s); e.g. %s%n", THREADS, allBackMillis, TimeUnit.NANOSECONDS.toMillis(longest),
                    TIMEOUT_SECONDS, failure[0].getMessage());

            // the fenced session is gone from the MDS (blocklisted: evicted) and replaced by a working one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (TestCluster.sessionUuids().contains(victimUuid) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(TestCluster.sessionUuids().contains(victimUuid), "the fenced session left the MDS");
            long t0 = System.nanoTime();
            try (CephConnection c = cf.getConnection()) {
                c.write(dir + "/after", new byte[] {9});
                assertEquals(1, c.readAllBytes(dir + "/after").length);
                c.deleteRecursively(dir);
            }
            System.out.printf("watchdog (blackholed MDS): pool served again %d ms later, on a new session%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            // (the new one may have the same slot and uuid: the fenced one let go of its slot once closed)
            assertTrue(ra.node().openSessions().stream().noneMatch(s -> s == victim && !s.isBroken()), "retired");
            assertTrue(ra.node().openSessions().stream().anyMatch(s -> s != victim && s.isUsable()), "replaced");
        } finally {
            ra.stop();
        }
        for (Thread th : threads) {
            th.join(5_000);
        }
        assertNothingLeft(mountsBefore, filesBefore);
    }

    @Test
    void aUserThatMayNotBlocklistCannotStartWithATimeout() throws Exception {
        String id = "jca-nofence-" + UUID.randomUUID().toString().substring(0, 8);
        String home = "/apps/" + id;
        CephMount admin = TestCluster.mounted();
        try {
            admin.mkdirs(home, 0755);
            String keyring = TestCluster.ceph("fs", "authorize", TestCluster.fsName(), "client." + id, home, "rw");
            Matcher m = Pattern.compile("key\\s*=\\s*(\\S+)").matcher(keyring);
            assertTrue(m.find(), keyring);
            String key = m.group(1);
            CephResourceAdapter ra = Adapters.configured(Adapters.freshNodeId("nofence"), 2);
            ra.setUser(id);
            ra.setKey(key);
            ra.setMountRoot(home);
            ra.setOperationTimeoutSeconds(5);
            ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                    () -> ra.start(null));
            String msg = e.getMessage();
            System.out.println("no blocklist cap: " + msg);
            assertTrue(msg.contains("client." + id) && msg.contains("allow command \"osd blocklist\"")
                    && msg.contains("operationTimeoutSeconds=5"), msg);
            assertFalse(msg.contains(key), "no key in the message");

            // with the cap it starts, even restricted to this host's clients (what docs/threat-model.md advises)
            TestCluster.ceph("auth", "caps", "client." + id, "mon", "allow r fsname=" + TestCluster.fsName()
                    + ", allow command \"osd blocklist\" with blocklistop=add addr regex \"^127\\.0\\.0\\.1:[0-9]+/[1-9][0-9]*$\"",
                    "mds", "allow rw fsname="
                    + TestCluster.fsName() + " path=" + home, "osd", "allow rw tag cephfs data=" + TestCluster.fsName());
            CephResourceAdapter ok = Adapters.configured(Adapters.freshNodeId("fence"), 2);
            ok.setUser(id);
            ok.setKey(key);
            ok.setMountRoot(home);
            ok.setOperationTimeoutSeconds(5);
            ok.setLeaseIntervalMillis(0);
            ok.start(null);
            try (CephConnection c = Adapters.factory(ok).getConnection()) {
                assertTrue(c.exists("/"));
            } finally {
                ok.stop();
            }
        } finally {
            try {
                TestCluster.ceph("auth", "del", "client." + id);
            } catch (Throwable ignored) {
                // cleanup
            }
            TestCluster.deleteTree(admin, home);
            admin.close();
        }
    }

    /** No native handle of the test left, no thread inside libcephfs (waits a little for deferred releases). */
    static void assertNothingLeft(long mountsBefore, long filesBefore) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((NativeHandles.mounts() > mountsBefore || NativeHandles.files() > filesBefore
                || NativeHandles.rados() > 0 || !Blackhole.threadsInLibCephFs().isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (NativeHandles.mounts() > mountsBefore || NativeHandles.files() > filesBefore || NativeHandles.rados() > 0) {
            fail("native handles leaked: " + NativeHandles.summary() + " (before: mounts=" + mountsBefore + " files="
                    + filesBefore + ")");
        }
        List<String> inC = Blackhole.threadsInLibCephFs();
        if (!inC.isEmpty()) {
            fail("threads still inside libcephfs: " + inC);
        }
    }
}
