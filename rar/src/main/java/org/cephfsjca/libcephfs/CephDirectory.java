package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.CephErrors.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.FileType;

/**
 * An open directory of a {@link CephMount}. Entries come from {@code ceph_getdents}, which fills a native
 * buffer with many {@code struct dirent}s per call (one call per ~230 entries instead of one per entry).
 * {@code .} and {@code ..} are skipped. The buffer is freed by {@link #close}, not by the garbage collector.
 */
public final class CephDirectory implements AutoCloseable {

    /** {@code sizeof(struct dirent)} on x86_64 glibc; libcephfs copies whole structs into the buffer. */
    static final int DIRENT_SIZE = 280;
    static final int D_INO = 0;
    static final int D_TYPE = 18;
    static final int D_NAME = 19;
    private static final int BUFFER_SIZE = DIRENT_SIZE * 128;

    /** d_name holds at most 255 bytes and its NUL. */
    private static final int NAME_MAX = 255;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final CephMount mount;
    private final long dirp;
    private final String path;
    private final NativeGuard guard;
    private final Memory memory = new Memory(BUFFER_SIZE);
    private final long address = Pointer.nativeValue(memory);
    private final ByteBuffer buffer = memory.getByteBuffer(0, BUFFER_SIZE).order(ByteOrder.nativeOrder());
    private final byte[] nameScratch = new byte[256];
    private int pos;
    private int limit;
    private boolean eof;

    CephDirectory(CephMount mount, long dirp, String path) {
        this.mount = mount;
        this.dirp = dirp;
        this.path = path;
        this.guard = new NativeGuard("directory " + path, this::free);
        NativeHandles.DIRECTORIES.incrementAndGet();
    }

    /** The next entry, or null when there are no more. */
    public synchronized DirEntry next() throws FileSystemException {
        enter();
        try {
            for (;;) {
                DirEntry e = decodeNext();
                if (e != null) {
                    return e;
                }
                if (eof) {
                    return null;
                }
                refill();
            }
        } finally {
            exit();
        }
    }

    /**
     * Adds every remaining entry to {@code out}. Takes the lock and the native guards once for the whole listing,
     * instead of once per entry as {@link #next()} must.
     */
    public synchronized void readAll(List<DirEntry> out) throws FileSystemException {
        enter();
        try {
            for (;;) {
                for (DirEntry e = decodeNext(); e != null; e = decodeNext()) {
                    out.add(e);
                }
                if (eof) {
                    return;
                }
                refill();
            }
        } finally {
            exit();
        }
    }

    /**
     * The next entry of the current batch (skipping . and ..), or null when the batch is used up. The name's end is
     * found 8 bytes at a time (d_name is NUL-terminated within its 256 bytes, so no read leaves the struct), the same
     * words tell whether it is ASCII, and only the name's bytes are copied out of native memory.
     */
    private DirEntry decodeNext() {
        while (pos + DIRENT_SIZE <= limit) {
            int at = pos;
            pos += DIRENT_SIZE;
            int name = at + D_NAME;
            int len = NAME_MAX; // a name without its NUL (never written by libcephfs) is cut, not overrun
            long high = 0; // the top bits of the name's bytes: 0 if it is ASCII
            for (int off = 0; off < NAME_MAX; off += 8) {
                long w = word(name + off);
                long zero = (w - ONES) & ~w & HIGHS; // lowest set bit marks the first NUL byte (little-endian)
                if (zero != 0) {
                    int k = Long.numberOfTrailingZeros(zero) >>> 3;
                    len = Math.min(NAME_MAX, off + k);
                    high |= w & ((1L << (k << 3)) - 1) & HIGHS; // the bytes before the NUL only
                    break;
                }
                high |= w & HIGHS;
            }
            if (byteAt(name) == '.' && (len == 1 || len == 2 && byteAt(name + 1) == '.')) {
                continue;
            }
            byte[] n = nameScratch;
            if (NativeMemory.AVAILABLE) {
                NativeMemory.copy(address + name, n, len);
            } else {
                buffer.get(name, n, 0, len);
            }
            String s = high == 0 ? ascii(n, len) : CString.decode(n, 0, len);
            return new DirEntry(s, word(at + D_INO), FileType.fromDirentType(byteAt(at + D_TYPE) & 0xff));
        }
        return null;
    }

    /** 8 bytes at {@code off} of the buffer (native order); plain loads where {@link NativeMemory} is available. */
    private long word(int off) {
        return NativeMemory.AVAILABLE ? NativeMemory.getLong(address + off) : buffer.getLong(off);
    }

    private byte byteAt(int off) {
        return NativeMemory.AVAILABLE ? NativeMemory.getByte(address + off) : buffer.get(off);
    }

    /** The ASCII-only String constructor: no charset lookup or check, one copy (the bytes are known to be ASCII). */
    @SuppressWarnings("deprecation")
    private static String ascii(byte[] b, int len) {
        return new String(b, 0, 0, len);
    }

    private void refill() throws FileSystemException {
        int n = check(LibCephFs.ceph_getdents(mount.handle(), dirp, address, BUFFER_SIZE), "ceph_getdents", path);
        pos = 0;
        limit = n;
        eof = n == 0;
    }

    private void enter() throws FileSystemException {
        mount.enter("ceph_getdents", path, guard);
    }

    private void exit() {
        mount.exit(guard);
    }

    /** {@code ceph_closedir} once no call is in flight; idempotent, never blocks. */
    @Override
    public void close() {
        guard.close();
    }

    private void free() {
        NativeHandles.DIRECTORIES.decrementAndGet();
        try {
            if (mount.tryEnterMounted()) {
                try {
                    LibCephFs.ceph_closedir(mount.handle(), dirp);
                } finally {
                    mount.exitUntracked();
                }
            }
        } finally {
            memory.close();
        }
    }

    @Override
    public String toString() {
        return "CephDirectory[" + path + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
