package org.cephfsjca.example;

import java.util.EnumSet;
import java.util.Set;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/**
 * Failures that mean the request's CephFS session itself went away under it, not that the file system refused the
 * operation: ESHUTDOWN (the client was blocklisted: evicted, or reset by a peer's takeover), ENOTCONN (its MDS session
 * is closed), ECONNRESET (it was reset). The adapter discards such a session and the pool replaces it, so for a
 * client these are "retry", not "failed": 503, not 500.
 */
final class SessionLoss {

    private static final Set<Errno> ERRNOS = EnumSet.of(Errno.ESHUTDOWN, Errno.ENOTCONN, Errno.ECONNRESET);

    private SessionLoss() {
    }

    static boolean is(CephFileSystemException e) {
        return e.errno() != null && ERRNOS.contains(e.errno());
    }
}
