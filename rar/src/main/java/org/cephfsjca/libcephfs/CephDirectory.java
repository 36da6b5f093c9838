package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.CephErrors.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;

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
    }

    /** The next entry, or null when there are no more. */
    public synchronized DirEntry next() throws FileSystemException {
        mount.enterMounted("ceph_getdents");
        try {
            guard.enter();
            try {
                for (;;) {
                    while (pos + DIRENT_SIZE <= limit) {
                        int at = pos;
                        pos += DIRENT_SIZE;
                        String name = CString.decodeNulTerminated(buffer, at + D_NAME, 256, nameScratch);
                        if (name.equals(".") || name.equals("..")) {
                            continue;
                        }
                        return new DirEntry(name, buffer.getLong(at + D_INO),
                                FileType.fromDirentType(buffer.get(at + D_TYPE) & 0xff));
                    }
                    if (eof) {
                        return null;
                    }
                    int n = check(LibCephFs.ceph_getdents(mount.handle(), dirp, address, BUFFER_SIZE),
                            "ceph_getdents", path);
                    pos = 0;
                    limit = n;
                    eof = n == 0;
                }
            } finally {
                guard.exit();
            }
        } finally {
            mount.exit();
        }
    }

    /** {@code ceph_closedir} once no call is in flight; idempotent, never blocks. */
    @Override
    public void close() {
        guard.close();
    }

    private void free() {
        try {
            if (mount.tryEnterMounted()) {
                try {
                    LibCephFs.ceph_closedir(mount.handle(), dirp);
                } finally {
                    mount.exit();
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
