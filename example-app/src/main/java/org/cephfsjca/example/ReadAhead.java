package org.cephfsjca.example;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedTask;

import org.cephfsjca.api.CephFileChannel;

/**
 * A download's copy with the next chunk read from Ceph while the request thread sends the current one. Serially,
 * a large download spends about half its time waiting for Ceph and half waiting for the socket (wall-clock profile
 * of a 1 GiB GET, docs/research/large-io.md); one reader task per download overlaps the two. Two buffers travel
 * between the reader and the writer: the reader fills a free one, the writer sends a full one and gives it back.
 *
 * <p>The reader never outlives the copy: when the client goes away or the copy fails, the writer stops the reader
 * and waits for its read in progress to end before it returns, so the channel is closed only after the last read.
 * Small files, and a download whose reader cannot be started, copy on the request thread alone.
 */
final class ReadAhead {

    private static final Logger LOG = Logger.getLogger(ReadAhead.class.getName());
    /** Files up to this size copy serially: a hand-off per chunk would cost more than it overlaps. */
    static final long MIN_SIZE = 2L * DocumentStore.BUFFER;
    /** How long the writer waits for a stopped reader's last read (a read is bounded by the adapter's timeouts). */
    private static final long STOP_WAIT_SECONDS = 60;
    private static final Map<String, String> LONG_RUNNING = Map.of(ManagedTask.LONGRUNNING_HINT, "true",
            ManagedTask.IDENTITY_NAME, "cephfs-jca-example download read-ahead");

    /** A filled buffer, the end of the file, or the reader's failure. */
    private record Chunk(ByteBuffer buffer, int length, Throwable failure) {
        static final Chunk END = new Chunk(null, 0, null);
    }

    private final CephFileChannel file;
    private final long size;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(3);
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private volatile boolean stopped;

    private ReadAhead(CephFileChannel file, long size) {
        this.file = file;
        this.size = size;
        free.add(ByteBuffer.allocate(DocumentStore.BUFFER));
        free.add(ByteBuffer.allocate(DocumentStore.BUFFER));
    }

    /**
     * Copies {@code size} bytes of {@code file} to {@code out}.
     *
     * @return false when the client went away (the copy ended quietly)
     */
    static boolean copy(CephFileChannel file, long size, OutputStream out, Executor executor) throws IOException {
        if (size > MIN_SIZE && executor != null) {
            ReadAhead r = new ReadAhead(file, size);
            try {
                executor.execute(ManagedExecutors.managedTask(r::read, LONG_RUNNING, null));
                return r.write(out);
            } catch (RejectedExecutionException busy) {
                LOG.fine(() -> "download read-ahead not started (" + busy + "): copying serially");
            }
        }
        return serial(file, size, out);
    }

    /** The copy on the request thread alone. */
    static boolean serial(CephFileChannel file, long size, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(DocumentStore.BUFFER);
        long pos = 0;
        while (pos < size) {
            int n = readChunk(file, buf, pos, size);
            if (n <= 0) {
                break; // shorter than it was when opened: cannot happen for our files (renamed, never rewritten)
            }
            if (!send(out, buf, n, file)) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    private static int readChunk(CephFileChannel file, ByteBuffer buf, long pos, long size) throws IOException {
        buf.clear();
        if (size - pos < buf.capacity()) {
            buf.limit((int) (size - pos));
        }
        return file.read(buf, pos);
    }

    private static boolean send(OutputStream out, ByteBuffer buf, int n, CephFileChannel file) {
        try {
            out.write(buf.array(), 0, n);
            return true;
        } catch (IOException clientGone) {
            LOG.fine(() -> "download of '" + file.path() + "' ended by the client: " + clientGone);
            return false;
        }
    }

    /** The reader task: fills free buffers in file order until the end, a failure, or a stop. */
    private void read() {
        try {
            long pos = 0;
            while (pos < size && !stopped) {
                ByteBuffer buf = free.take();
                if (stopped) {
                    break;
                }
                int n = readChunk(file, buf, pos, size);
                if (n <= 0) {
                    break;
                }
                full.put(new Chunk(buf, n, null));
                pos += n;
            }
            full.put(Chunk.END);
        } catch (Throwable t) {
            full.offer(new Chunk(null, 0, t)); // room: the writer takes chunks until it sees END or a failure
        } finally {
            readerDone.countDown();
        }
    }

    /** The request thread: sends full buffers in order and hands them back; stops the reader on every exit. */
    private boolean write(OutputStream out) throws IOException {
        boolean finished = false;
        try {
            for (;;) {
                Chunk c = full.take();
                if (c.failure() != null) {
                    throw rethrow(c.failure());
                }
                if (c == Chunk.END) {
                    finished = true;
                    return true;
                }
                if (!send(out, c.buffer(), c.length(), file)) {
                    return false;
                }
                free.put(c.buffer());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of '" + file.path() + "' interrupted");
        } finally {
            if (!finished) {
                stop();
            }
        }
    }

    /** Ends the reader and waits for its read in progress, so that the caller may close the channel. */
    private void stop() {
        stopped = true;
        free.offer(ByteBuffer.allocate(0)); // wakes a reader waiting for a buffer; it sees the stop
        full.clear(); // makes room for a reader about to put a chunk or its end
        boolean interrupted = false;
        try {
            while (!readerDone.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("download of '" + file.path() + "': its read-ahead has not ended after "
                        + STOP_WAIT_SECONDS + " s; still waiting before the file is closed");
                full.clear();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }
}
