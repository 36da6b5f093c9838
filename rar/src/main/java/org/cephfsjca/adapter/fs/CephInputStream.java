package org.cephfsjca.adapter.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@link InputStream} over an open file. Reads ahead in chunks of up to 1 MiB into one direct buffer per
 * stream (libcephfs fills it with no copy), using positional reads at a Java-side offset. Large reads into the
 * caller's array skip the buffer. {@link #close()} closes the file.
 */
final class CephInputStream extends InputStream implements TrackedResource {

    static final int CHUNK = 1 << 20;
    /** Small files get a small buffer: a 1 MiB direct buffer per small read is costly to allocate and to free. */
    static final int MIN_CHUNK = 64 << 10;

    private final OpenFile of;
    private final ByteBuffer buffer;
    private long filePos;

    /** @param sizeHint the file's size when opened, to size the buffer */
    CephInputStream(OpenFile of, long sizeHint) {
        this.of = of;
        int capacity = (int) Math.min(CHUNK, Math.max(MIN_CHUNK, sizeHint));
        this.buffer = ByteBuffer.allocateDirect(capacity);
        buffer.flip(); // empty: nothing read yet
    }

    @Override
    public synchronized int read() throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            if (len >= buffer.capacity()) {
                // no point staging a read this large through our buffer
                long pos = filePos;
                int n = io(() -> of.file.read(b, off, len, pos));
                if (n == 0) {
                    return -1;
                }
                filePos = pos + n;
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** Skips within the buffer, then moves the file offset, never beyond the current end of file. */
    @Override
    public synchronized long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        int fromBuffer = (int) Math.min(n, buffer.remaining());
        buffer.position(buffer.position() + fromBuffer);
        long rest = n - fromBuffer;
        if (rest == 0) {
            return fromBuffer;
        }
        long size = io(() -> of.file.stat().size());
        long skipped = Math.min(rest, Math.max(0, size - filePos));
        filePos += skipped;
        return fromBuffer + skipped;
    }

    /** Bytes buffered, or else bytes between the offset and the end of file (at most Integer.MAX_VALUE). */
    @Override
    public synchronized int available() throws IOException {
        ensureOpen();
        if (buffer.hasRemaining()) {
            return buffer.remaining();
        }
        long size = io(() -> of.file.stat().size());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, size - filePos));
    }

    @Override
    public void close() {
        if (of.markClosed()) {
            of.closeFile(this);
        }
    }

    @Override
    public void release() {
        close();
    }

    @Override
    public boolean isLock() {
        return false;
    }

    /** Refills the buffer from the file; false at end of file. */
    private boolean fill() throws IOException {
        buffer.clear();
        long pos = filePos;
        int n;
        try {
            n = io(() -> of.file.read(buffer, pos));
        } finally {
            buffer.flip();
        }
        if (n == 0) {
            return false;
        }
        filePos = pos + n;
        return true;
    }

    private <T> T io(OpenFile.Io<T> call) throws IOException {
        return of.io(call, this::closedException);
    }

    private void ensureOpen() throws IOException {
        if (of.isClosed()) {
            throw closedException();
        }
    }

    private IOException closedException() {
        return new IOException(PathNames.quote(of.path) + ": stream is closed");
    }

    @Override
    public String toString() {
        return "CephInputStream[" + of.path + (of.isClosed() ? ", closed" : "") + "]";
    }
}
