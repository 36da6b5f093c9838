package org.cephfsjca.libcephfs;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/**
 * A native call did not return within the operation timeout (the MDS, or a rank of it, did not answer), and its
 * session was fenced: the client was blocklisted, which made libcephfs fail the call. The message names the call, the
 * path and the timeout. The session is unusable from then on ({@code errno()} is {@code ETIMEDOUT}); a pool replaces
 * it.
 */
public final class OperationTimeoutException extends CephFileSystemException {

    private static final long serialVersionUID = 1L;

    public OperationTimeoutException(String call, String subject, String other, String timeout, String what) {
        super(call, -Errno.ETIMEDOUT.code(), subject, other, call + ": ETIMEDOUT (no answer within " + timeout
                + "; " + what + ")");
    }
}
