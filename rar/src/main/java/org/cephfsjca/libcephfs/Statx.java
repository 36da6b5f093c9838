package org.cephfsjca.libcephfs;

import java.nio.ByteBuffer;

import org.cephfsjca.api.FileAttributes;

/**
 * Layout of {@code struct ceph_statx} (136 bytes on x86_64 with 64-bit off_t), read straight from native
 * memory instead of through a JNA {@code Structure}, which would reflect over fields on every call.
 * The offsets are checked against the C compiler by {@code StructLayoutTest}.
 */
final class Statx {

    static final int SIZE = 136;
    static final int MASK = 0;
    static final int BLKSIZE = 4;
    static final int NLINK = 8;
    static final int UID = 12;
    static final int GID = 16;
    static final int MODE = 20;
    static final int INO = 24;
    static final int FILE_SIZE = 32;
    static final int BLOCKS = 40;
    static final int ATIME = 64;
    static final int CTIME = 80;
    static final int MTIME = 96;
    static final int BTIME = 112;

    private Statx() {
    }

    static FileAttributes decode(ByteBuffer b) {
        return new FileAttributes(
                b.getLong(INO),
                b.getShort(MODE) & 0xffff,
                b.getInt(UID),
                b.getInt(GID),
                b.getLong(FILE_SIZE),
                b.getLong(BLOCKS),
                b.getInt(BLKSIZE),
                b.getInt(NLINK),
                nanos(b, ATIME),
                nanos(b, MTIME),
                nanos(b, CTIME),
                nanos(b, BTIME));
    }

    /** struct timespec: tv_sec (long), tv_nsec (long). */
    private static long nanos(ByteBuffer b, int off) {
        return b.getLong(off) * 1_000_000_000L + b.getLong(off + 8);
    }
}
