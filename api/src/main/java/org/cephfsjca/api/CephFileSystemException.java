package org.cephfsjca.api;

import java.nio.file.FileSystemException;

/**
 * A libcephfs call failed with an errno that has no closer {@code java.nio.file} exception type.
 * The message names the call, the errno and the path (or uuid) involved.
 */
public class CephFileSystemException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final int errnoCode;
    private final String call;

    public CephFileSystemException(String call, int errnoCode, String subject, String other, String reason) {
        super(subject, other, reason);
        this.call = call;
        this.errnoCode = Math.abs(errnoCode);
    }

    /** The errno, as a symbolic name ({@link Errno#UNKNOWN} when not in the table; see {@link #errnoCode()}). */
    public Errno errno() {
        return Errno.of(errnoCode);
    }

    /** The raw positive errno value. */
    public int errnoCode() {
        return errnoCode;
    }

    /** The libcephfs function that failed, e.g. {@code ceph_open}. */
    public String call() {
        return call;
    }
}
