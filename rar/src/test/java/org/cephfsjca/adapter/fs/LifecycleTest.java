package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/** close, releaseResources, invalidate, reassociate and the listener. */
class LifecycleTest extends TwoMountTestSupport {

    /** Opens one of each resource; the output stream has unflushed bytes. */
    private static final class Opened {
        final InputStream in;
        final OutputStream out;
        final CephFileChannel channel;
        final CephLock lock;

        Opened(MountedConnection c, String prefix) throws IOException {
            c.write(prefix + "-in", "input".getBytes(StandardCharsets.US_ASCII));
            in = c.newInputStream(prefix + "-in");
            out = c.newOutputStream(prefix + "-out");
            out.write("unflushed".getBytes(StandardCharsets.US_ASCII));
            channel = c.openChannel(prefix + "-ch", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = c.tryLock(prefix + "-in", LockMode.EXCLUSIVE).orElseThrow();
        }

        void assertAllReleased() {
            assertThrows(IOException.class, in::read);
            assertThrows(IOException.class, () -> out.write(1));
            assertFalse(channel.isOpen());
            assertThrows(ClosedChannelException.class, () -> channel.write(ByteBuffer.allocate(1)));
            assertFalse(lock.isValid());
        }
    }

    private static void assertLockFree(String path) throws IOException {
        try (MountedConnection probe = new MountedConnection(otherMount, null)) {
            probe.tryLock(path, LockMode.EXCLUSIVE).orElseThrow(() -> new AssertionError(path + " still locked"))
                    .close();
        }
    }

    @Test
    void closeReleasesEverythingAndTellsTheListenerOnce() throws Exception {
        RecordingListener l = new RecordingListener();
        MountedConnection c = new MountedConnection(mount, l);
        Opened o = new Opened(c, dir + "/close");
        assertEquals(4, c.openResourceCount());
        c.close();
        assertTrue(c.isClosed());
        o.assertAllReleased();
        assertEquals(0, c.openResourceCount());
        assertEquals(List.of(c), l.closed);
        c.close();
        o.lock.close();
        assertEquals(1, l.closed.size(), "exactly once");
        assertTrue(l.failures.isEmpty());
        assertLockFree(dir + "/close-in");
        try (MountedConnection check = new MountedConnection(mount, null)) {
            assertEquals("unflushed", new String(check.readAllBytes(dir + "/close-out"), StandardCharsets.US_ASCII),
                    "an output stream left open is flushed when its connection closes");
        }
        assertThrows(IllegalStateException.class, () -> c.stat("/"));
    }

    @Test
    void releaseResourcesCountsAndKeepsTheConnectionUsable() throws Exception {
        RecordingListener l = new RecordingListener();
        try (MountedConnection c = new MountedConnection(mount, l)) {
            Opened o = new Opened(c, dir + "/release");
            InputStream closedByApp = c.newInputStream(dir + "/release-in");
            closedByApp.close();
            assertEquals(4, c.releaseResources());
            o.assertAllReleased();
            assertEquals(0, c.releaseResources());
            assertFalse(c.isClosed());
            assertTrue(l.closed.isEmpty(), "the listener is not told");
            assertLockFree(dir + "/release-in");
            // still usable, and tracks again
            assertTrue(c.exists(dir + "/release-in"));
            c.tryLock(dir + "/release-in", LockMode.SHARED).orElseThrow();
            assertEquals(1, c.openResourceCount());
            assertEquals(1, c.releaseResources());
        }
    }

    @Test
    void invalidateClosesWithoutTellingTheListener() throws Exception {
        RecordingListener l = new RecordingListener();
        MountedConnection c = new MountedConnection(mount, l);
        Opened o = new Opened(c, dir + "/invalidate");
        c.invalidate();
        o.assertAllReleased();
        assertTrue(c.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.exists("/"));
        assertEquals("connection is closed", e.getMessage());
        c.close(); // the application closing later is harmless and not reported
        assertTrue(l.closed.isEmpty());
        assertThrows(IllegalStateException.class, () -> c.reassociate(mount, l));
        assertLockFree(dir + "/invalidate-in");
    }

    @Test
    void reassociateMovesTheHandleToAnotherSession() throws Exception {
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        MountedConnection c = new MountedConnection(mount, first);
        c.write(dir + "/reassoc", "x".getBytes(StandardCharsets.US_ASCII));
        InputStream before = c.newInputStream(dir + "/reassoc");
        c.reassociate(otherMount, second);
        assertSame(otherMount, c.mount());
        assertTrue(c.exists(dir + "/reassoc"));
        assertEquals('x', before.read(), "what was opened before keeps working on its own session");
        c.close();
        assertTrue(first.closed.isEmpty());
        assertEquals(List.of(c), second.closed, "the current owner is told");
        assertThrows(IOException.class, before::read);
        assertThrows(IllegalArgumentException.class, () -> new MountedConnection(null, null));
    }

    @Test
    void nullListenerIsFine() throws Exception {
        MountedConnection c = new MountedConnection(mount, null);
        c.newInputStream("/").close();
        c.close();
        assertTrue(c.isClosed());
    }

    @Test
    void aThrowingListenerDoesNotBreakClose() throws Exception {
        MountedConnection c = new MountedConnection(mount, new MountedConnection.Listener() {
            @Override
            public void connectionClosed(MountedConnection x) {
                throw new IllegalStateException("owner broke");
            }

            @Override
            public void connectionFailed(MountedConnection x, Exception cause) {
            }
        });
        c.close();
        assertTrue(c.isClosed());
    }

    /** Resources opened while another thread closes the connection are never left open. */
    @Test
    void openingRacesWithClose() throws Exception {
        String p = dir + "/race";
        try (MountedConnection setup = new MountedConnection(mount, null)) {
            setup.write(p, new byte[] {1});
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                MountedConnection c = new MountedConnection(mount, null);
                List<Future<List<AutoCloseable>>> openers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    openers.add(pool.submit(() -> {
                        List<AutoCloseable> got = new ArrayList<>();
                        try {
                            for (int i = 0; i < 20; i++) {
                                got.add(c.newInputStream(p));
                                got.add(c.openChannel(p));
                            }
                        } catch (IllegalStateException e) {
                            assertEquals("connection is closed", e.getMessage());
                        }
                        return got;
                    }));
                }
                Thread.sleep(round % 5);
                c.close();
                for (Future<List<AutoCloseable>> f : openers) {
                    for (AutoCloseable r : f.get()) {
                        if (r instanceof CephFileChannel) {
                            assertFalse(((CephFileChannel) r).isOpen(), "channel left open after close: " + r);
                        } else {
                            assertThrows(IOException.class, ((InputStream) r)::read, "stream left open: " + r);
                        }
                    }
                }
                assertEquals(0, c.openResourceCount());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
