package org.cephfsjca.libcephfs;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/**
 * Turns a negative return code of libcephfs into the closest {@code java.nio.file} exception, or a
 * {@link CephFileSystemException} carrying the errno. Every message names the call, the errno and the subject,
 * e.g. {@code /docs/a.txt: ceph_open: ENOENT (No such file or directory)}.
 */
public final class CephErrors {

    private CephErrors() {
    }

    /** Throws for a negative {@code rc}; returns {@code rc} otherwise, so calls read {@code int n = check(...)}. */
    static int check(int rc, String call, String subject) throws FileSystemException {
        if (rc < 0) {
            throw failure(call, rc, subject, null);
        }
        return rc;
    }

    static long check(long rc, String call, String subject) throws FileSystemException {
        if (rc < 0) {
            throw failure(call, (int) rc, subject, null);
        }
        return rc;
    }

    static int check(int rc, String call, String subject, String other) throws FileSystemException {
        if (rc < 0) {
            throw failure(call, rc, subject, other);
        }
        return rc;
    }

    /**
     * The exception for a failed call; an {@link OperationTimeoutException} when the call this thread is in was
     * overrun and its session fenced (libcephfs then fails it, mostly with EBLOCKLISTED).
     */
    private static FileSystemException failure(String call, int rc, String subject, String other) {
        CallWatch.Call overrun = CallWatch.timedOutCall();
        if (overrun != null) {
            CephMount m = overrun.mount();
            CallWatch.Watcher w = m == null ? null : m.watcher();
            String timeout = w == null ? "the operation timeout" : w.describeTimeout();
            String why = m == null ? null : m.fencedReason();
            return new OperationTimeoutException(call, subject, other, timeout, "the session was fenced"
                    + (why == null || why.startsWith(call + " " + subject + " ") ? "" : " (" + why + ")")
                    + ": its client was blocklisted and libcephfs failed the call with "
                    + reason(call, rc).substring(call.length() + 2) + "; a new session replaces it");
        }
        return exception(call, rc, subject, other);
    }

    /** The message text after the subject: {@code call: ERRNO (description)}. */
    public static String reason(String call, int rc) {
        Errno e = Errno.of(rc);
        String name = e == Errno.UNKNOWN ? "errno " + Math.abs(rc) : e.name();
        return call + ": " + name + " (" + e.description() + ")";
    }

    /** The exception for {@code rc} (negative or positive errno) raised by {@code call} on {@code subject}. */
    public static FileSystemException exception(String call, int rc, String subject, String other) {
        String reason = reason(call, rc);
        switch (Errno.of(rc)) {
            case ENOENT:
                return new NoSuchFileException(subject, other, reason);
            case EEXIST:
                return new FileAlreadyExistsException(subject, other, reason);
            case EACCES:
            case EPERM:
                return new AccessDeniedException(subject, other, reason);
            case ENOTEMPTY:
                return new DirectoryNotEmptyException(subject + " (" + reason + ")");
            case ENOTDIR:
                return new NotDirectoryException(subject + " (" + reason + ")");
            case ELOOP:
                return new FileSystemLoopException(subject + " (" + reason + ")");
            default:
                return new CephFileSystemException(call, rc, subject, other, reason);
        }
    }
}
