package org.cephfsjca.libcephfs;

import java.nio.file.FileSystemException;

/**
 * Admits or refuses each file-system call on a mount before it reaches libcephfs ({@link CephMount#gate}). The
 * adapter uses it to stop its pooled sessions from working while this node cannot prove it still owns them (its lease
 * is stale, or peers reset them): see org.cephfsjca.adapter.fencing. Closing files and unmounting are never gated.
 */
@FunctionalInterface
public interface CallGate {

    /**
     * Returns to admit the call, throws to refuse it. May wait, bounded; runs before the call enters the mount.
     *
     * @param call    the libcephfs function about to run, e.g. {@code ceph_open}
     * @param subject its path (or uuid)
     */
    void admit(String call, String subject) throws FileSystemException;
}
