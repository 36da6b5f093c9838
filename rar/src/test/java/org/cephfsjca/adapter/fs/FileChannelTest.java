package org.cephfsjca.adapter.fs;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileChannel;

/** openChannel: sequential and positional I/O, position/size/truncate, options, closed behaviour. */
class FileChannelTest extends ConnectionTestSupport {

    private static ByteBuffer ascii(String s, boolean direct) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(b.length) : ByteBuffer.allocate(b.length);
        return buf.put(b).flip();
    }

    private static String ascii(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void sequentialIoMovesThePosition() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            String p = dir + "/seq-" + direct;
            try (CephFileChannel ch = c.openChannel(p, CREATE_NEW, READ, WRITE)) {
                assertEquals(p, ch.path());
                assertEquals(0, ch.position());
                assertEquals(5, ch.write(ascii("hello", direct)));
                assertEquals(5, ch.position());
                assertEquals(6, ch.write(ascii(" world", direct)));
                assertEquals(11, ch.position());
                assertEquals(11, ch.size());

                assertSame(ch, ch.position(0));
                ByteBuffer dst = direct ? ByteBuffer.allocateDirect(5) : ByteBuffer.allocate(5);
                assertEquals(5, ch.read(dst));
                assertEquals("hello", ascii(dst.flip()));
                assertEquals(5, ch.position());
                ByteBuffer rest = direct ? ByteBuffer.allocateDirect(100) : ByteBuffer.allocate(100);
                assertEquals(6, ch.read(rest));
                assertEquals(" world", ascii(rest.flip()));
                assertEquals(11, ch.position());
                rest.clear();
                assertEquals(-1, ch.read(rest), "-1 at end of file");
                assertEquals(11, ch.position());
                assertEquals(0, ch.read(ByteBuffer.allocate(0)), "no room is 0, not -1");

                // beyond the end: read gives -1, a write leaves a hole of zeros
                ch.position(20);
                assertEquals(-1, ch.read(ByteBuffer.allocate(4)));
                ch.write(ascii("!", direct));
                assertEquals(21, ch.size());
                ByteBuffer hole = ByteBuffer.allocate(21);
                assertEquals(21, ch.read(hole, 0));
                assertEquals(0, hole.get(15));
            }
        }
    }

    @Test
    void positionalIoLeavesThePositionAlone() throws Exception {
        String p = dir + "/pos";
        byte[] data = new byte[1_000_000];
        new Random(3).nextBytes(data);
        try (CephFileChannel ch = c.openChannel(p, CREATE, READ, WRITE)) {
            ch.position(7);
            // a direct buffer with a non-zero position, and a heap slice: both must honour their offsets
            ByteBuffer d = ByteBuffer.allocateDirect(data.length + 100);
            d.position(100);
            d.put(data).position(100);
            assertEquals(data.length, ch.write(d, 0));
            assertFalse(d.hasRemaining());
            assertEquals(7, ch.position());
            ByteBuffer h = ByteBuffer.wrap(new byte[50], 10, 20).slice();
            h.put(0, (byte) 1);
            assertEquals(20, ch.write(h, data.length));
            assertEquals(7, ch.position());
            assertEquals(data.length + 20, ch.size());

            ByteBuffer in = ByteBuffer.allocateDirect(data.length);
            while (in.hasRemaining()) {
                int n = ch.read(in, in.position());
                assertTrue(n > 0);
            }
            byte[] back = new byte[data.length];
            in.flip().get(back);
            assertArrayEquals(data, back);
            ByteBuffer heap = ByteBuffer.allocate(30);
            assertEquals(20, ch.read(heap, data.length));
            assertEquals(1, heap.get(0));
            assertEquals(-1, ch.read(ByteBuffer.allocate(1), data.length + 20), "-1 at end of file");
            assertEquals(-1, ch.read(ByteBuffer.allocate(1), Long.MAX_VALUE / 2));
            assertEquals(7, ch.position());
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(1), -1));
            assertThrows(IllegalArgumentException.class, () -> ch.write(ByteBuffer.allocate(1), -1));
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
            assertThrows(IllegalArgumentException.class, () -> ch.truncate(-1));
        }
    }

    @Test
    void concurrentPositionalWrites() throws Exception {
        String p = dir + "/concurrent";
        int threads = 4;
        int blocks = 64;
        int block = 4096;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (CephFileChannel ch = c.openChannel(p, CREATE, READ, WRITE)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    for (int b = id; b < blocks; b += threads) {
                        ByteBuffer buf = ByteBuffer.allocateDirect(block);
                        while (buf.hasRemaining()) {
                            buf.put((byte) b);
                        }
                        ch.write(buf.flip(), (long) b * block);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            assertEquals((long) blocks * block, ch.size());
            ByteBuffer all = ByteBuffer.allocate(blocks * block);
            ch.read(all, 0);
            for (int i = 0; i < blocks * block; i++) {
                assertEquals((byte) (i / block), all.get(i), "byte " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void truncateClampsThePosition() throws Exception {
        String p = dir + "/trunc";
        try (CephFileChannel ch = c.openChannel(p, CREATE, READ, WRITE)) {
            ch.write(ascii("0123456789", true));
            assertEquals(10, ch.position());
            assertSame(ch, ch.truncate(20));
            assertEquals(10, ch.size(), "truncate never extends");
            assertEquals(10, ch.position());
            ch.truncate(4);
            assertEquals(4, ch.size());
            assertEquals(4, ch.position(), "position clamps to the new size");
            ch.position(2);
            ch.truncate(3);
            assertEquals(2, ch.position(), "a position below the size stays");
            assertEquals(3, ch.stat().size());
            ch.force(true);
            ch.force(false);
        }
    }

    @Test
    void appendWritesGoToTheEnd() throws Exception {
        String p = dir + "/append";
        c.write(p, "abc".getBytes(StandardCharsets.US_ASCII));
        try (CephFileChannel ch = c.openChannel(p, APPEND)) {
            ch.position(0); // ignored by an append write
            assertEquals(3, ch.write(ascii("def", false)));
            assertEquals(6, ch.position());
            // another writer extends the file meanwhile: the next append still lands at the end
            try (CephFileChannel other = c.openChannel(p, WRITE)) {
                other.write(ascii("XYZ", true), 6);
            }
            ch.write(ascii("ghi", true));
            assertEquals(12, ch.position());
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        }
        assertEquals("abcdefXYZghi", new String(c.readAllBytes(p), StandardCharsets.US_ASCII));
    }

    @Test
    void openOptions() throws Exception {
        String p = dir + "/opts";
        assertThrows(NoSuchFileException.class, () -> c.openChannel(p), "default is READ, no create");
        assertThrows(NoSuchFileException.class, () -> c.openChannel(p, CREATE), "CREATE alone is a read channel");
        try (CephFileChannel ch = c.openChannel(p, CREATE_NEW, WRITE, SYNC)) {
            ch.write(ascii("data", true));
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        }
        assertThrows(FileAlreadyExistsException.class, () -> c.openChannel(p, CREATE_NEW, WRITE));
        try (CephFileChannel ch = c.openChannel(p)) {
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1), 0));
            assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(4, ch.read(b));
        }
        try (CephFileChannel ch = c.openChannel(p, WRITE, TRUNCATE_EXISTING)) {
            assertEquals(0, ch.size());
        }
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> c.openChannel(p, StandardOpenOption.DELETE_ON_CLOSE));
        assertTrue(u.getMessage().contains("DELETE_ON_CLOSE"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.openChannel(p, READ, APPEND));
        assertEquals(0, c.openResourceCount());
    }

    @Test
    void closedChannelThrowsClosedChannelException() throws Exception {
        String p = dir + "/closed";
        CephFileChannel ch = c.openChannel(p, CREATE, READ, WRITE);
        assertTrue(ch.isOpen());
        assertEquals(1, c.openResourceCount());
        ch.close();
        ch.close(); // idempotent
        assertFalse(ch.isOpen());
        assertEquals(0, c.openResourceCount());
        assertTrue(ch.toString().endsWith(", closed]"), ch.toString());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        assertThrows(ClosedChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> ch.write(ByteBuffer.allocate(1), 0));
        assertThrows(ClosedChannelException.class, ch::position);
        assertThrows(ClosedChannelException.class, () -> ch.position(0));
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(ClosedChannelException.class, () -> ch.truncate(0));
        assertThrows(ClosedChannelException.class, () -> ch.force(true));
        assertThrows(ClosedChannelException.class, ch::stat);
    }
}
