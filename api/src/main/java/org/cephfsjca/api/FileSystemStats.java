package org.cephfsjca.api;

import java.io.Serializable;

/**
 * What {@code ceph_statfs} reports: capacity of the cluster's data pools as seen by the client.
 *
 * @param blockSize       file system block size
 * @param fragmentSize    fundamental block size (units of the block counts)
 * @param totalBlocks     size in fragments
 * @param freeBlocks      free fragments
 * @param availableBlocks fragments available to unprivileged users
 * @param totalFiles      inodes
 * @param freeFiles       free inodes
 * @param maxNameLength   longest file name
 */
public record FileSystemStats(long blockSize, long fragmentSize, long totalBlocks, long freeBlocks,
                              long availableBlocks, long totalFiles, long freeFiles, long maxNameLength)
        implements Serializable {

    public long totalBytes() {
        return totalBlocks * fragmentSize;
    }

    public long availableBytes() {
        return availableBlocks * fragmentSize;
    }
}
