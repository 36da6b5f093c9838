package org.cephfsjca.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * What {@code ceph_statx} reports about a file. Times are nanoseconds since the epoch, so a stat allocates
 * one object and no {@link Instant}s unless asked.
 *
 * @param inode       inode number
 * @param mode        st_mode: type and permission bits
 * @param uid         owner user id
 * @param gid         owner group id
 * @param size        size in bytes
 * @param blocks      512-byte blocks allocated
 * @param blockSize   preferred I/O size
 * @param links       hard link count
 * @param accessNanos last access time, ns since the epoch
 * @param modifyNanos last modification time, ns since the epoch
 * @param changeNanos last status change time, ns since the epoch
 * @param birthNanos  creation time, ns since the epoch
 */
public record FileAttributes(long inode, int mode, int uid, int gid, long size, long blocks, int blockSize,
                             int links, long accessNanos, long modifyNanos, long changeNanos, long birthNanos)
        implements Serializable {

    /** File type from the mode bits. */
    public FileType type() {
        return FileType.fromMode(mode);
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public boolean isRegularFile() {
        return type() == FileType.REGULAR_FILE;
    }

    public boolean isSymbolicLink() {
        return type() == FileType.SYMBOLIC_LINK;
    }

    /** Permission bits only (for example {@code 0644}). */
    public int permissions() {
        return mode & 07777;
    }

    public Instant lastModified() {
        return toInstant(modifyNanos);
    }

    public Instant lastAccessed() {
        return toInstant(accessNanos);
    }

    public Instant lastChanged() {
        return toInstant(changeNanos);
    }

    public Instant created() {
        return toInstant(birthNanos);
    }

    private static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
