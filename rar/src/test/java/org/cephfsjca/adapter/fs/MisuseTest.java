package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileChannel;

/**
 * Application mistakes through the public API: each gets a clear Java exception before reaching libcephfs, and none
 * crashes the JVM (a crash would fail the surefire fork): negative positions and sizes, bad array ranges, bad xattr
 * names, unencodable strings, huge buffers, and a connection closed by another thread while calls are in flight.
 */
class MisuseTest extends ConnectionTestSupport {

    @Test
    void negativePositionsAndSizesOnChannels() throws Exception {
        String p = dir + "/neg";
        c.write(p, new byte[16]);
        try (CephFileChannel ch = c.openChannel(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(8);
            assertThrows(IllegalArgumentException.class, () -> ch.read(b, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.write(b, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
            assertThrows(IllegalArgumentException.class, () -> ch.truncate(-1));
            assertThrows(IllegalArgumentException.class, () -> ch.read(b, Long.MIN_VALUE));
            assertThrows(IllegalArgumentException.class, () -> ch.read(null, 0));
            assertEquals(16, ch.size(), "nothing was changed");
        }
    }

    @Test
    void badArrayRangesOnStreams() throws Exception {
        String p = dir + "/ranges";
        c.write(p, new byte[16]);
        byte[] buf = new byte[8];
        try (InputStream in = c.newInputStream(p)) {
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(buf, -1, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(buf, 4, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(buf, 0, -1));
            assertThrows(NullPointerException.class, () -> in.read(null, 0, 1));
            assertEquals(8, in.read(buf), "the stream still works");
        }
        try (OutputStream out = c.newOutputStream(p, StandardOpenOption.APPEND)) {
            assertThrows(IndexOutOfBoundsException.class, () -> out.write(buf, Integer.MAX_VALUE, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> out.write(buf, 2, -3));
        }
        assertEquals(16, c.stat(p).size(), "nothing was written");
    }

    @Test
    void badXattrNamesAndValues() throws Exception {
        String p = dir + "/xattrs";
        c.write(p, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> c.setXattr(p, "user.a\0b", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> c.setXattr(p, "", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> c.setXattr(p, null, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> c.getXattr(p, "user." + "x".repeat(300)));
        assertThrows(IllegalArgumentException.class, () -> c.removeXattr(p, "user.\uD800"));
        assertThrows(IllegalArgumentException.class, () -> c.setXattr(p, "user.v", null));
        assertTrue(c.listXattrs(p).stream().noneMatch(n -> n.startsWith("user.")), "nothing was set");
    }

    @Test
    void unencodableAndOverlongPaths() {
        assertThrows(IllegalArgumentException.class, () -> c.stat(dir + "/\uDC00"));
        assertThrows(IllegalArgumentException.class, () -> c.write(dir + "/bad\uD83D", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> c.mkdirs(dir + "/a".repeat(2100)));
        assertThrows(IllegalArgumentException.class, () -> c.rename(dir + "/x\0", dir + "/y"));
        assertThrows(IllegalArgumentException.class, () -> c.list(dir + "/../../.."));
    }

    /** A 64 MiB direct buffer over a 16-byte file: reads what is there, never past the buffer or the file. */
    @Test
    void hugeBuffersReadOnlyWhatIsThere() throws Exception {
        String p = dir + "/small";
        c.write(p, "sixteen bytes!!!".getBytes());
        ByteBuffer huge = ByteBuffer.allocateDirect(64 << 20);
        try (CephFileChannel ch = c.openChannel(p)) {
            assertEquals(16, ch.read(huge, 0));
            assertEquals(-1, ch.read(huge, 16));
            assertEquals(-1, ch.read(huge, Long.MAX_VALUE / 2));
        }
        assertEquals(16, huge.position());
    }

    /**
     * One thread closes the connection while four others call it, its channel and its stream in a loop: each call
     * either works or fails with a clear exception; nothing else escapes, and every thread ends.
     */
    @Test
    void closeFromAnotherThreadWhileCallsAreInFlight() throws Exception {
        for (int round = 0; round < 10; round++) {
            MountedConnection d = new MountedConnection(mount, null);
            String p = dir + "/race-" + round;
            d.write(p, new byte[4096]);
            CephFileChannel ch = d.openChannel(p);
            InputStream in = d.newInputStream(p);
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            List<Call> calls = List.of(() -> d.stat(p), () -> ch.read(ByteBuffer.allocateDirect(512), 0),
                    () -> in.read(new byte[64]), () -> d.list(dir));
            for (Call call : calls) {
                Thread t = new Thread(() -> {
                    started.countDown();
                    for (int i = 0; i < 10_000; i++) {
                        try {
                            call.run();
                        } catch (IllegalStateException | ClosedChannelException e) {
                            return; // the documented answers after close
                        } catch (IOException e) {
                            if (!String.valueOf(e.getMessage()).contains("closed")) {
                                unexpected.add(e);
                            }
                            return;
                        } catch (Throwable e) {
                            unexpected.add(e);
                            return;
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            started.await();
            d.close();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                if (t.isAlive()) {
                    fail("a call was still running 30 s after the connection was closed: " + t.getStackTrace()[0]);
                }
            }
            assertTrue(unexpected.isEmpty(), "round " + round + ": " + unexpected);
        }
        assertTrue(c.exists(dir), "the mount is unharmed");
    }

    private interface Call {
        void run() throws Exception;
    }
}
