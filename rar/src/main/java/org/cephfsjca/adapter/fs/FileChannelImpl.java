package org.cephfsjca.adapter.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.libcephfs.CephFile;

/**
 * {@link CephFileChannel} over one open {@link CephFile}. The channel keeps its position in Java and uses
 * positional native calls only, so {@link #position()} is exact and independent of the native file offset;
 * APPEND writes are the exception, see {@link #write(ByteBuffer)}. Sequential calls are serialized on the channel;
 * positional calls run concurrently.
 */
final class FileChannelImpl implements CephFileChannel, TrackedResource {

    private final OpenFile of;
    private final OpenOptions options;
    private volatile long position;

    FileChannelImpl(OpenFile of, OpenOptions options) {
        this.of = of;
        this.options = options;
    }

    @Override
    public String path() {
        return of.path;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkBuffer(dst);
        ensureOpen();
        checkReadable();
        synchronized (this) {
            long pos = position;
            int n = io(() -> of.file.read(dst, pos));
            if (n == 0) {
                return dst.hasRemaining() ? -1 : 0; // the binding returns 0 at end of file
            }
            position = pos + n;
            return n;
        }
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        checkBuffer(dst);
        checkPosition(pos);
        ensureOpen();
        checkReadable();
        int n = io(() -> of.file.read(dst, pos));
        return n == 0 && dst.hasRemaining() ? -1 : n;
    }

    /**
     * Writes at the position and advances it. With APPEND the native file offset is used instead (libcephfs moves
     * it to the end of the file under its own lock before writing) and the position becomes the end of what was
     * written, as {@link java.nio.channels.SeekableByteChannel} specifies for append mode.
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        checkBuffer(src);
        ensureOpen();
        checkWritable();
        synchronized (this) {
            if (options.append) {
                int n = io(() -> of.file.write(src, -1));
                position = io(() -> of.file.seek(0, CephFile.SEEK_CUR));
                return n;
            }
            long pos = position;
            int n = io(() -> of.file.write(src, pos));
            position = pos + n;
            return n;
        }
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        checkBuffer(src);
        checkPosition(pos);
        ensureOpen();
        checkWritable();
        return io(() -> of.file.write(src, pos));
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    /** Sets the position; beyond the end of file is allowed (reads give -1, a write extends the file). */
    @Override
    public CephFileChannel position(long newPosition) throws IOException {
        checkPosition(newPosition);
        ensureOpen();
        synchronized (this) {
            position = newPosition;
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return io(() -> of.file.stat().size());
    }

    /** Cuts the file to {@code size} if it is larger (never extends it) and clamps the position to {@code size}. */
    @Override
    public CephFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        ensureOpen();
        checkWritable();
        synchronized (this) {
            if (size < size()) {
                io(() -> {
                    of.file.truncate(size);
                    return null;
                });
            }
            if (position > size) {
                position = size;
            }
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        io(() -> {
            of.file.fsync(!metaData);
            return null;
        });
    }

    @Override
    public FileAttributes stat() throws IOException {
        ensureOpen();
        return io(() -> of.file.stat());
    }

    @Override
    public boolean isOpen() {
        return !of.isClosed();
    }

    /** Closes the file; with SYNC or DSYNC it is fsynced first (the file is closed even if that fails). */
    @Override
    public void close() throws IOException {
        if (!of.markClosed()) {
            return;
        }
        try {
            if (options.write && options.sync != OpenOptions.Sync.NONE) {
                io(() -> {
                    of.file.fsync(options.sync == OpenOptions.Sync.DATA);
                    return null;
                });
            }
        } finally {
            of.closeFile(this);
        }
    }

    /** Connection closing: as {@link #close()}, but a failing fsync is only reported, never thrown. */
    @Override
    public void release() {
        if (!of.markClosed()) {
            return;
        }
        try {
            if (options.write && options.sync != OpenOptions.Sync.NONE) {
                of.quietly(() -> {
                    of.file.fsync(options.sync == OpenOptions.Sync.DATA);
                    return null;
                });
            }
        } finally {
            of.closeFile(this);
        }
    }

    @Override
    public boolean isLock() {
        return false;
    }

    private <T> T io(OpenFile.Io<T> call) throws IOException {
        return of.io(call, AsynchronousCloseException::new);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (of.isClosed()) {
            throw new ClosedChannelException();
        }
    }

    private void checkReadable() {
        if (!options.read) {
            throw new NonReadableChannelException();
        }
    }

    private void checkWritable() {
        if (!options.write) {
            throw new NonWritableChannelException();
        }
    }

    private static void checkBuffer(ByteBuffer b) {
        if (b == null) {
            throw new IllegalArgumentException("buffer is null");
        }
    }

    private static void checkPosition(long pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("position must be >= 0: " + pos);
        }
    }

    @Override
    public String toString() {
        return "CephFileChannel[" + of.path + ", " + options + ", position=" + position
                + (of.isClosed() ? ", closed" : "") + "]";
    }
}
