package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.CephErrors.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;

import org.cephfsjca.api.Errno;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.LockMode;

/**
 * An open file of a {@link CephMount} (a libcephfs file descriptor). Thread-safe; positional calls may run
 * concurrently.
 *
 * <p>Direct {@link ByteBuffer}s move data with no copy: libcephfs reads into and writes from the buffer's own
 * memory. Heap buffers and {@code byte[]} go through a per-thread native bounce buffer (one copy), which is
 * cheaper than JNA's array marshalling (two full-array copies).
 *
 * <p>A position of {@code -1} means "the file's current offset", as in libcephfs.
 */
public final class CephFile implements AutoCloseable {

    /** libcephfs returns an int byte count, so one call moves at most this much. */
    static final int MAX_IO = 1 << 30;
    private static final int BOUNCE_SIZE = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> BOUNCE = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(BOUNCE_SIZE).order(ByteOrder.nativeOrder()));

    /** Calls that move or size file data: the ones a directory fd must never reach. */
    private static final java.util.Set<String> DATA_CALLS = java.util.Set.of("ceph_read", "ceph_write",
            "ceph_ftruncate", "ceph_fallocate");
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;

    private final CephMount mount;
    private final int fd;
    private final String path;
    private final NativeGuard guard;
    /** Data calls on a directory fd never return in libcephfs 16 (they wait for Fr caps): refused with EISDIR. */
    private final boolean directory;

    CephFile(CephMount mount, int fd, String path, boolean directory) {
        this.mount = mount;
        this.fd = fd;
        this.path = path;
        this.directory = directory;
        this.guard = new NativeGuard("file " + path, this::free);
        NativeHandles.FILES.incrementAndGet();
    }

    /** The path this file was opened with. */
    public String path() {
        return path;
    }

    // ---------------------------------------------------------------- read

    /** Reads at the current offset; see {@link #read(ByteBuffer, long)}. */
    public int read(ByteBuffer dst) throws FileSystemException {
        return read(dst, -1);
    }

    /**
     * {@code ceph_read} into {@code dst}'s remaining space, advancing its position.
     *
     * @return bytes read; 0 at end of file (or when {@code dst} has no space)
     */
    public int read(ByteBuffer dst, long position) throws FileSystemException {
        checkPosition(position);
        int len = Math.min(dst.remaining(), MAX_IO);
        if (len == 0) {
            return 0;
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        if (dst.isDirect()) {
            int n;
            enter("ceph_read");
            try {
                n = LibCephFs.ceph_read(mount.handle(), fd, DirectBuffers.address(dst) + dst.position(), len, position);
                check(n, "ceph_read", path); // inside the call: an overrun one becomes OperationTimeoutException
            } finally {
                exit();
                CephMount.keepAlive(dst);
            }
            dst.position(dst.position() + n);
            return n;
        }
        // heap buffer: bounce through native memory, chunk by chunk until a short read
        int total = 0;
        ByteBuffer bounce = BOUNCE.get();
        while (total < len) {
            int chunk = Math.min(len - total, BOUNCE_SIZE);
            int n;
            enter("ceph_read");
            try {
                n = LibCephFs.ceph_read(mount.handle(), fd, DirectBuffers.address(bounce), chunk,
                        position < 0 ? -1 : position + total);
                check(n, "ceph_read", path);
            } finally {
                exit();
            }
            dst.put(dst.position(), bounce, 0, n);
            dst.position(dst.position() + n);
            total += n;
            if (n < chunk) {
                break;
            }
        }
        return total;
    }

    /** Reads into {@code b[off..off+len)}; returns bytes read, 0 at end of file. */
    public int read(byte[] b, int off, int len, long position) throws FileSystemException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return read(ByteBuffer.wrap(b, off, len), position);
    }

    // ---------------------------------------------------------------- write

    public int write(ByteBuffer src) throws FileSystemException {
        return write(src, -1);
    }

    /** {@code ceph_write} of {@code src}'s remaining bytes, advancing its position; returns bytes written. */
    public int write(ByteBuffer src, long position) throws FileSystemException {
        checkPosition(position);
        int len = Math.min(src.remaining(), MAX_IO);
        if (len == 0) {
            return 0;
        }
        if (src.isDirect()) {
            int n;
            enter("ceph_write");
            try {
                n = LibCephFs.ceph_write(mount.handle(), fd, DirectBuffers.address(src) + src.position(), len,
                        position);
                check(n, "ceph_write", path);
            } finally {
                exit();
                CephMount.keepAlive(src);
            }
            src.position(src.position() + n);
            return n;
        }
        int total = 0;
        ByteBuffer bounce = BOUNCE.get();
        while (total < len) {
            int chunk = Math.min(len - total, BOUNCE_SIZE);
            bounce.put(0, src, src.position(), chunk);
            int n;
            enter("ceph_write");
            try {
                n = LibCephFs.ceph_write(mount.handle(), fd, DirectBuffers.address(bounce), chunk,
                        position < 0 ? -1 : position + total);
                check(n, "ceph_write", path);
            } finally {
                exit();
            }
            src.position(src.position() + n);
            total += n;
            if (n < chunk) {
                break;
            }
        }
        return total;
    }

    public int write(byte[] b, int off, int len, long position) throws FileSystemException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return write(ByteBuffer.wrap(b, off, len), position);
    }

    // ---------------------------------------------------------------- the rest

    /** {@code ceph_fsync}: data (and metadata unless {@code dataOnly}) is on the OSDs when this returns. */
    public void fsync(boolean dataOnly) throws FileSystemException {
        enter("ceph_fsync");
        try {
            check(LibCephFs.ceph_fsync(mount.handle(), fd, dataOnly ? 1 : 0), "ceph_fsync", path);
        } finally {
            exit();
        }
    }

    public void truncate(long size) throws FileSystemException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        enter("ceph_ftruncate");
        try {
            check(LibCephFs.ceph_ftruncate(mount.handle(), fd, size), "ceph_ftruncate", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_lseek}; {@code whence} is {@link #SEEK_SET}, {@link #SEEK_CUR} or {@link #SEEK_END}. */
    public long seek(long offset, int whence) throws FileSystemException {
        if (whence < SEEK_SET || whence > SEEK_END) {
            throw new IllegalArgumentException("whence must be SEEK_SET, SEEK_CUR or SEEK_END: " + whence);
        }
        if (whence == SEEK_SET && offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0 with SEEK_SET: " + offset);
        }
        enter("ceph_lseek");
        try {
            return check(LibCephFs.ceph_lseek(mount.handle(), fd, offset, whence), "ceph_lseek", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_fallocate}; CephFS supports mode 0 only within limits and punch-hole: EOPNOTSUPP otherwise. */
    public void allocate(int mode, long offset, long length) throws FileSystemException {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("offset must be >= 0 and length > 0: " + offset + ", " + length);
        }
        enter("ceph_fallocate");
        try {
            check(LibCephFs.ceph_fallocate(mount.handle(), fd, mode, offset, length), "ceph_fallocate", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_fstatx}. */
    public FileAttributes stat() throws FileSystemException {
        ByteBuffer stx = DirectBuffers.scratch();
        enter("ceph_fstatx");
        try {
            check(LibCephFs.ceph_fstatx(mount.handle(), fd, DirectBuffers.address(stx), 0xfff, 0), "ceph_fstatx",
                    path);
        } finally {
            exit();
        }
        return Statx.decode(stx);
    }

    /**
     * {@code ceph_flock}: an advisory whole-file lock for {@code owner} (any number the caller picks; locks of
     * different owners exclude each other even within one client).
     *
     * @param wait block until the lock is granted (cannot be interrupted); false = try once
     * @return true if granted; false if {@code wait} is false and another owner holds a conflicting lock
     */
    public boolean lock(LockMode mode, boolean wait, long owner) throws FileSystemException {
        int op = (mode == LockMode.EXCLUSIVE ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);
        int rc;
        enter("ceph_flock");
        try {
            rc = LibCephFs.ceph_flock(mount.handle(), fd, op, owner);
            if (!wait && rc == -Errno.EAGAIN.code()) {
                return false;
            }
            check(rc, "ceph_flock", path); // inside the call: an overrun one becomes OperationTimeoutException
        } finally {
            exit();
        }
        return true;
    }

    /** Releases {@code owner}'s lock on this file. */
    public void unlock(long owner) throws FileSystemException {
        mount.enter("ceph_flock", path, guard, false); // not gated: giving a lock up is always safe
        try {
            check(LibCephFs.ceph_flock(mount.handle(), fd, LOCK_UN, owner), "ceph_flock", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_close}, once no call on this file is in flight. Idempotent, never blocks. */
    @Override
    public void close() {
        guard.close();
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    private void free() {
        NativeHandles.FILES.decrementAndGet();
        // the mount may be gone already: ceph_unmount closed every descriptor then
        if (mount.tryEnterMounted()) {
            try {
                LibCephFs.ceph_close(mount.handle(), fd);
            } finally {
                mount.exitUntracked();
            }
        }
    }

    private void enter(String call) throws FileSystemException {
        if (directory && DATA_CALLS.contains(call)) {
            throw CephErrors.exception(call, -Errno.EISDIR.code(), path, null);
        }
        mount.enter(call, path, guard);
    }

    private void exit() {
        mount.exit(guard);
    }

    private static void checkPosition(long position) {
        if (position < -1) {
            throw new IllegalArgumentException("position must be >= 0 (or -1 for the current offset): " + position);
        }
    }

    @Override
    public String toString() {
        return "CephFile[" + path + ", fd=" + fd + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
