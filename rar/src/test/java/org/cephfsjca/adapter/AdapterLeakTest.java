package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.NativeHandles;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Connection leaks: a handle the application drops without closing is found once unreachable, reported (WARNING
 * naming node, slot and uuid, with the stack where it was obtained when enabled), counted, and its session, files
 * and locks reclaimed for the pool; a handle that was closed (by the application or the container) never is.
 */
class AdapterLeakTest {

    private static final long GC_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void droppedHandlesAreReportedAndTheirSessionsAndLocksReclaimed() throws Exception {
        String node = Adapters.freshNodeId("leak");
        LogCapture log = LogCapture.start();
        CephResourceAdapter ra = Adapters.started(node, 4, x -> {
            x.setMaxPoolSize(2);
            x.setPoolBlockingTimeoutMillis(GC_BOUND_MILLIS);
            x.setLeakStackTraces(true);
        });
        String dir = "/jca-tests/leak-" + node;
        CephMount outsiderMount = TestCluster.mounted(); // another client, to see the locks from outside
        try (MountedConnection outsider = new MountedConnection(outsiderMount, null)) {
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection c = cf.getConnection(); CephConnection d = cf.getConnection()) {
                c.mkdirs(dir);
                for (int i = 0; i < 2; i++) {
                    c.write(dir + "/lock" + i, new byte[10]);
                }
                assertTrue(d.exists(dir));
            }
            Map<String, Long> sessions = AdapterLoadTest.nodeSessions(node);
            assertEquals(1, sessions.size(), "the pool's two connections share one session: " + sessions);
            long files = NativeHandles.files();

            leakOne(cf, dir + "/lock0");
            leakOne(cf, dir + "/lock1");
            assertTrue(outsider.tryLock(dir + "/lock0", LockMode.EXCLUSIVE).isEmpty(), "the leaked lock is held");
            assertEquals(files + 4, NativeHandles.files(), "each leaked handle holds a lock and a stream open");

            gcUntil(() -> log.leaks(node).size() >= 2, "two leak warnings");
            List<LogRecord> leaks = log.leaks(node);
            assertEquals(2, leaks.size(), "one warning per leaked handle");
            for (LogRecord r : leaks) {
                assertEquals(Level.WARNING, r.getLevel());
                assertTrue(r.getMessage().contains("connection leak on node " + node + ", slot "), r.getMessage());
                assertTrue(r.getMessage().contains("released 2 file(s)/lock(s)"), r.getMessage());
                assertNotNull(r.getThrown(), "leakStackTraces: the warning carries where the handle was obtained");
                assertTrue(stack(r.getThrown()).contains("AdapterLeakTest.leakOne"), stack(r.getThrown()));
            }
            assertTrue(leaks.stream().allMatch(r -> r.getMessage().contains("(uuid " + Adapters.uuid(node, 0) + ")")),
                    "the warnings name the session's uuid");
            assertEquals(2, cf.getSessionStatus().leakedConnections(), "leaks are counted for operators");

            // the locks and files are released, and the pool has both sessions back: no third session
            assertEquals(files, NativeHandles.files(), "the leaked handles' files are closed");
            for (int i = 0; i < 2; i++) {
                outsider.tryLock(dir + "/lock" + i, LockMode.EXCLUSIVE)
                        .orElseThrow(() -> new AssertionError("a leaked handle's lock is still held"))
                        .close();
            }
            try (CephConnection c = cf.getConnection(); CephConnection d = cf.getConnection()) {
                assertTrue(c.exists(dir) && d.exists(dir));
                assertEquals(1, cf.getSessionStatus().slotsInUse());
                assertEquals(2, cf.getSessionStatus().connections(), "both connections back in the pool, reused");
            }
            assertEquals(sessions, AdapterLoadTest.nodeSessions(node), "the same MDS session, reused");
            try (CephConnection c = cf.getConnection()) {
                c.deleteRecursively(dir);
            }
        } finally {
            outsiderMount.close();
            ra.stop();
            log.stop();
        }
    }

    @Test
    void closedHandlesAreNeverReclaimed() throws Exception {
        String node = Adapters.freshNodeId("noleak");
        LogCapture log = LogCapture.start();
        CephResourceAdapter ra = Adapters.started(node, 2, null);
        try {
            CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
            mcf.setResourceAdapter(ra);
            CephManagedConnection mc = (CephManagedConnection) mcf.createManagedConnection(null, null);
            AtomicInteger closedEvents = new AtomicInteger();
            mc.addConnectionEventListener(new ClosedCounter(closedEvents));
            try {
                closeOne(mc);           // the application closes it
                dropAfterCleanup(mc);   // the container's cleanup() closes it (IronJacamar's CCM ends there)
                leakOne(mc);            // nobody closes it
                gcUntil(() -> !log.leaks(node).isEmpty(), "the leak warning");
                for (int i = 0; i < 5; i++) { // give the cleaner every chance to act on the closed ones too
                    System.gc();
                    Thread.sleep(100);
                }
                assertEquals(1, log.leaks(node).size(), "only the unclosed handle is a leak: " + log.leaks(node));
                assertNotNull(log.leaks(node).get(0).getMessage());
                assertTrue(log.leaks(node).get(0).getMessage().contains("leakStackTraces=true"),
                        "without stacks the warning says how to get them");
                assertEquals(2, closedEvents.get(), "one close event from the application, one for the leak");
                assertEquals(1, ra.node().status().leakedConnections());
            } finally {
                mc.destroy();
            }
        } finally {
            ra.stop();
            log.stop();
        }
    }

    /** Obtains a handle, takes a lock and opens a stream through it, and drops it without closing. */
    private static void leakOne(CephConnectionFactory cf, String lockFile) throws Exception {
        CephConnection c = cf.getConnection();
        c.tryLock(lockFile, LockMode.EXCLUSIVE).orElseThrow(() -> new AssertionError("lock busy: " + lockFile));
        InputStream in = c.newInputStream(lockFile);
        assertEquals(0, in.read());
    }

    private static void leakOne(CephManagedConnection mc) throws Exception {
        CephConnection c = (CephConnection) mc.getConnection(null, null);
        assertTrue(c.exists("/"));
    }

    private static void closeOne(CephManagedConnection mc) throws Exception {
        CephConnection c = (CephConnection) mc.getConnection(null, null);
        assertTrue(c.exists("/"));
        c.close();
    }

    private static void dropAfterCleanup(CephManagedConnection mc) throws Exception {
        CephConnection c = (CephConnection) mc.getConnection(null, null);
        assertTrue(c.exists("/"));
        mc.cleanup();
        assertTrue(c.isClosed());
    }

    private static final int GC_BOUND_MILLIS = 30_000;

    /** Collects garbage until {@code done}, bounded; fails with a thread dump if it never is. */
    private static void gcUntil(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GC_BOUND_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + what + " within 30 s of garbage collections\n" + Hangs.threadDump());
            }
            System.gc();
            Thread.sleep(50);
        }
    }

    private static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** Counts CONNECTION_CLOSED events. */
    private static final class ClosedCounter implements ConnectionEventListener {
        private final AtomicInteger count;

        ClosedCounter(AtomicInteger count) {
            this.count = count;
        }

        @Override
        public void connectionClosed(ConnectionEvent event) {
            count.incrementAndGet();
        }

        @Override
        public void localTransactionStarted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionCommitted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionRolledback(ConnectionEvent event) {
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
        }
    }

    /** The adapter's JUL records while a test runs. */
    static final class LogCapture extends Handler {
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        static LogCapture start() {
            LogCapture c = new LogCapture();
            Logger.getLogger("org.cephfsjca").addHandler(c);
            return c;
        }

        void stop() {
            Logger.getLogger("org.cephfsjca").removeHandler(this);
        }

        /** The leak warnings about {@code node}. */
        List<LogRecord> leaks(String node) {
            return records.stream()
                    .filter(r -> String.valueOf(r.getMessage()).contains("connection leak on node " + node + ","))
                    .toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
