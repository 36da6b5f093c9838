package org.cephfsjca.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.FileAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The download copy's read-ahead, as pure coordination over an in-memory channel (the path through Ceph and WildFly
 * is DocumentServiceIT's 512 MiB stream and BulkheadIT's downloads): every byte in order, and no read running or
 * starting once the copy has returned, whether it ended, the client went away or a read failed.
 */
class ReadAheadTest {

    private static final int B = DocumentStore.BUFFER;
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @AfterAll
    static void shutdown() {
        POOL.shutdownNow();
    }

    @Test
    void copiesEveryByteInOrderWhateverTheSize() throws Exception {
        for (int size : new int[] {0, 1, B - 1, B, B + 1, (int) ReadAhead.MIN_SIZE, (int) ReadAhead.MIN_SIZE + 1,
                5 * B + 17, 40 * B}) {
            MemoryChannel ch = new MemoryChannel(bytes(size, size));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(ReadAhead.copy(ch, size, out, POOL), "size " + size);
            assertArrayEquals(ch.data, out.toByteArray(), "size " + size);
            assertEquals(0, ch.inFlight.get(), "size " + size);
            ch.closed = true; // as the download's Closer does: a read after this fails the test
        }
    }

    @Test
    void largeFilesAreReadOnAnotherThreadSmallOnesOnTheCaller() throws Exception {
        Thread caller = Thread.currentThread();
        MemoryChannel large = new MemoryChannel(bytes(10 * B, 1));
        ReadAhead.copy(large, 10 * B, OutputStream.nullOutputStream(), POOL);
        assertFalse(large.readOnCaller(caller), "a large file is read ahead by the executor's thread");
        MemoryChannel small = new MemoryChannel(bytes(B, 2));
        ReadAhead.copy(small, B, OutputStream.nullOutputStream(), POOL);
        assertTrue(small.readOnCaller(caller), "a small file copies on the request thread");
    }

    @Test
    void aClientThatGoesAwayStopsTheReaderBeforeTheCopyReturns() throws Exception {
        for (int round = 0; round < 50; round++) {
            MemoryChannel ch = new MemoryChannel(bytes(64 * B, round));
            ch.readDelayNanos = 200_000; // a read in progress when the client goes away
            OutputStream gone = new OutputStream() {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    throw new IOException("broken pipe");
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if ((written += len) > 3L * B) {
                        throw new IOException("broken pipe");
                    }
                }
            };
            assertFalse(ReadAhead.copy(ch, ch.data.length, gone, POOL));
            assertEquals(0, ch.inFlight.get(), "no read running after the copy returned");
            ch.closed = true;
            long reads = ch.reads.get();
            Thread.sleep(2);
            assertEquals(reads, ch.reads.get(), "no read started after the copy returned");
            assertTrue(reads < 64, "the reader stopped early: " + reads + " reads");
        }
    }

    @Test
    void aFailedReadFailsTheCopyWithItsOwnException() throws Exception {
        MemoryChannel ch = new MemoryChannel(bytes(20 * B, 3));
        IOException failure = new IOException("/documents/x: ceph_read: EIO");
        ch.failAt = 7L * B;
        ch.failure = failure;
        IOException thrown = assertThrows(IOException.class,
                () -> ReadAhead.copy(ch, ch.data.length, OutputStream.nullOutputStream(), POOL));
        assertSame(failure, thrown);
        assertEquals(0, ch.inFlight.get());
    }

    @Test
    void anExecutorThatRefusesMeansASerialCopy() throws Exception {
        MemoryChannel ch = new MemoryChannel(bytes(10 * B + 5, 4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ReadAhead.copy(ch, ch.data.length, out, task -> {
            throw new RejectedExecutionException("saturated");
        }));
        assertArrayEquals(ch.data, out.toByteArray());
        assertTrue(ch.readOnCaller(Thread.currentThread()));
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A positional-read channel over an array that counts reads, reads in flight and the threads that read. */
    private static final class MemoryChannel implements CephFileChannel {
        final byte[] data;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong reads = new AtomicLong();
        volatile boolean closed;
        volatile Thread lastReader;
        long readDelayNanos;
        long failAt = -1;
        IOException failure;

        MemoryChannel(byte[] data) {
            this.data = data;
        }

        boolean readOnCaller(Thread caller) {
            return lastReader == caller;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            if (closed) {
                throw new AssertionError("read after the copy returned and the channel was closed");
            }
            inFlight.incrementAndGet();
            reads.incrementAndGet();
            lastReader = Thread.currentThread();
            try {
                if (readDelayNanos > 0) {
                    long end = System.nanoTime() + readDelayNanos;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                if (failAt >= 0 && position >= failAt) {
                    throw failure;
                }
                if (position >= data.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), data.length - position);
                dst.put(data, (int) position, n);
                return n;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public String path() {
            return "/documents/memory";
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) {
        }

        @Override
        public FileAttributes stat() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CephFileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CephFileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
