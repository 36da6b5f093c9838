package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Random;

import org.junit.jupiter.api.Test;


/** newInputStream / newOutputStream. */
class StreamsTest extends ConnectionTestSupport {

    /** ~20 MiB written through the stream in odd-sized pieces, read back by SHA-256 in other odd sizes. */
    @Test
    void twentyMebibytesRoundTripByHash() throws Exception {
        String p = dir + "/big";
        long size = 20L * 1024 * 1024 + 12345;
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random r = new Random(42);
        byte[] chunk = new byte[3 * 1024 * 1024];
        try (OutputStream out = c.newOutputStream(p)) {
            long left = size;
            int turn = 0;
            while (left > 0) {
                // small, medium and larger-than-the-buffer writes, plus single bytes
                int n = (int) Math.min(left, new int[] {1, 777, 65536, 200_000, 1_500_000, 3 << 20}[turn++ % 6]);
                r.nextBytes(chunk);
                if (n == 1) {
                    out.write(chunk[0]);
                } else {
                    out.write(chunk, 0, n);
                }
                written.update(chunk, 0, n);
                left -= n;
            }
        }
        assertEquals(size, c.stat(p).size());

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = c.newInputStream(p)) {
            byte[] buf = new byte[2 * 1024 * 1024];
            int turn = 0;
            for (;;) {
                int want = new int[] {1, 1000, 65536, 2 << 20, 300_001}[turn++ % 5];
                if (want == 1) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    read.update((byte) b);
                    total++;
                    continue;
                }
                int n = in.read(buf, 0, want);
                if (n < 0) {
                    break;
                }
                read.update(buf, 0, n);
                total += n;
            }
            assertEquals(-1, in.read());
            assertEquals(0, in.available());
        }
        assertEquals(size, total);
        assertArrayEquals(written.digest(), read.digest(), "content hash");
    }

    @Test
    void skipAndAvailable() throws Exception {
        String p = dir + "/skip";
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        c.write(p, data);
        try (InputStream in = c.newInputStream(p)) {
            assertEquals(data.length, in.available(), "nothing buffered yet: the rest of the file");
            assertEquals(0, in.skip(0));
            assertEquals(0, in.skip(-5));
            assertEquals(data[0] & 0xff, in.read());
            int buffered = in.available();
            assertTrue(buffered > 0 && buffered < data.length, "then what is buffered: " + buffered);
            assertEquals(10, in.skip(10)); // within the buffer
            assertEquals(data[11] & 0xff, in.read());
            assertEquals(2_000_000, in.skip(2_000_000)); // beyond the buffer
            assertEquals(data[2_000_012] & 0xff, in.read());
            long rest = data.length - 2_000_013;
            assertEquals(rest, in.skip(Long.MAX_VALUE), "skip stops at end of file");
            assertEquals(-1, in.read());
            assertEquals(0, in.skip(10));
            assertEquals(0, in.available());
            assertEquals(-1, in.read(new byte[10], 0, 10));
            assertEquals(0, in.read(new byte[10], 0, 0));
        }
    }

    @Test
    void emptyFileAndMissingFile() throws Exception {
        c.write(dir + "/empty", new byte[0]);
        try (InputStream in = c.newInputStream(dir + "/empty")) {
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[5_000_000]));
        }
        assertThrows(NoSuchFileException.class, () -> c.newInputStream(dir + "/missing"));
        assertEquals(0, c.openResourceCount(), "a failed open leaves nothing tracked");
    }

    @Test
    void closedStreamsThrowIOException() throws Exception {
        String p = dir + "/closed";
        c.write(p, "abc".getBytes(StandardCharsets.US_ASCII));
        InputStream in = c.newInputStream(p);
        assertEquals(1, c.openResourceCount());
        in.close();
        in.close();
        assertEquals(0, c.openResourceCount(), "a stream closed by the application leaves the tracker");
        IOException e = assertThrows(IOException.class, in::read);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IOException.class, in::available);
        OutputStream out = c.newOutputStream(dir + "/closed-out");
        out.close();
        out.close();
        assertThrows(IOException.class, () -> out.write(1));
        assertThrows(IOException.class, out::flush);
        assertEquals(0, c.openResourceCount());
    }

    @Test
    void outputStreamFlushAndOptions() throws Exception {
        String p = dir + "/out";
        try (OutputStream out = c.newOutputStream(p)) {
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, c.stat(p).size(), "buffered until flush");
            out.flush();
            assertEquals(5, c.stat(p).size());
            assertEquals("hello", new String(c.readAllBytes(p), StandardCharsets.US_ASCII));
        }
        try (OutputStream out = c.newOutputStream(p, StandardOpenOption.APPEND, StandardOpenOption.SYNC)) {
            out.write(" world".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("hello world", new String(c.readAllBytes(p), StandardCharsets.US_ASCII));
        try (OutputStream out = c.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            out.write("J".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("Jello world", new String(c.readAllBytes(p), StandardCharsets.US_ASCII));
        try (OutputStream out = c.newOutputStream(p)) {
            out.write('x');
        }
        assertEquals("x", new String(c.readAllBytes(p), StandardCharsets.US_ASCII), "no options truncates");
        assertThrows(FileAlreadyExistsException.class, () -> c.newOutputStream(p, StandardOpenOption.CREATE_NEW));
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> c.newOutputStream(p, StandardOpenOption.SPARSE));
        assertTrue(u.getMessage().contains("SPARSE"), u.getMessage());
        assertThrows(NoSuchFileException.class, () -> c.newOutputStream(dir + "/nope", StandardOpenOption.APPEND));
        assertEquals(0, c.openResourceCount());
    }
}
