package org.cephfsjca.api;

import java.nio.file.FileSystemException;

/** A lock could not be had within the time allowed: another owner (on any Ceph client) holds a conflicting one. */
public class LockUnavailableException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    public LockUnavailableException(String path, String reason) {
        super(path, null, reason);
    }
}
