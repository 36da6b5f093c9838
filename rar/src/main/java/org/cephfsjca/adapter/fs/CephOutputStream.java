package org.cephfsjca.adapter.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buffered {@link OutputStream} into an open file. Bytes collect in one direct buffer (starting at 64 KiB,
 * growing to 1 MiB, so small writes do not pay for a large buffer); {@link #flush()} writes it out,
 * {@link #close()} flushes, fsyncs when opened with SYNC or DSYNC, and closes the file. Writes use the native
 * file offset, which libcephfs moves to the end of file first when the file was opened with APPEND.
 */
final class CephOutputStream extends OutputStream implements TrackedResource {

    static final int MAX_BUFFER = 1 << 20;
    static final int INITIAL_BUFFER = 64 << 10;

    private final OpenFile of;
    private final OpenOptions.Sync sync;
    /** Guards the buffer; a lock (not synchronized) so that a connection closing can see if a write is running. */
    private final ReentrantLock lock = new ReentrantLock();
    private ByteBuffer buffer;

    CephOutputStream(OpenFile of, OpenOptions.Sync sync) {
        this.of = of;
        this.sync = sync;
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            makeRoom();
            buffer.put((byte) b);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            ensureOpen();
            if (len >= MAX_BUFFER) {
                // keep order, then write the large array straight from the caller's memory
                flushBuffer();
                writeFully(ByteBuffer.wrap(b, off, len));
                return;
            }
            int at = off;
            int left = len;
            while (left > 0) {
                makeRoom();
                int n = Math.min(left, buffer.remaining());
                buffer.put(b, at, n);
                at += n;
                left -= n;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            flushBuffer();
        } finally {
            lock.unlock();
        }
    }

    /** Flushes, fsyncs if SYNC/DSYNC, closes the file; the file is closed even when flushing fails. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (!of.markClosed()) {
                return;
            }
            try {
                flushBuffer();
                if (sync != OpenOptions.Sync.NONE) {
                    io(() -> {
                        of.file.fsync(sync == OpenOptions.Sync.DATA);
                        return null;
                    });
                }
            } finally {
                buffer = null;
                of.closeFile(this);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Connection closing: flushes what the application wrote but did not close (best effort, failures are only
     * reported), unless a write is running on another thread right now, in which case the file is closed under it.
     */
    @Override
    public void release() {
        if (lock.tryLock()) {
            try {
                if (!of.markClosed()) {
                    return;
                }
                try {
                    of.quietly(() -> {
                        flushBuffer();
                        if (sync != OpenOptions.Sync.NONE) {
                            of.file.fsync(sync == OpenOptions.Sync.DATA);
                        }
                        return null;
                    });
                } finally {
                    buffer = null;
                    of.closeFile(this);
                }
            } finally {
                lock.unlock();
            }
        } else if (of.markClosed()) {
            of.closeFile(this);
        }
    }

    @Override
    public boolean isLock() {
        return false;
    }

    /** Ensures the buffer has space: allocates it, grows it up to MAX_BUFFER, or flushes it. */
    private void makeRoom() throws IOException {
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);
        } else if (!buffer.hasRemaining()) {
            if (buffer.capacity() < MAX_BUFFER) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(MAX_BUFFER, buffer.capacity() * 2));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            } else {
                flushBuffer();
            }
        }
    }

    /** Writes the buffered bytes; on failure the unwritten ones stay buffered. */
    private void flushBuffer() throws IOException {
        if (buffer == null || buffer.position() == 0) {
            return;
        }
        buffer.flip();
        try {
            writeFully(buffer);
        } finally {
            buffer.compact();
        }
    }

    private void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n = io(() -> of.file.write(src, -1));
            if (n <= 0) {
                throw new IOException(PathNames.quote(of.path) + ": ceph_write wrote nothing with "
                        + src.remaining() + " bytes left");
            }
        }
    }

    private <T> T io(OpenFile.Io<T> call) throws IOException {
        return of.io(call, () -> new IOException(PathNames.quote(of.path) + ": stream is closed"));
    }

    private void ensureOpen() throws IOException {
        if (of.isClosed()) {
            throw new IOException(PathNames.quote(of.path) + ": stream is closed");
        }
    }

    @Override
    public String toString() {
        return "CephOutputStream[" + of.path + (of.isClosed() ? ", closed" : "") + "]";
    }
}
