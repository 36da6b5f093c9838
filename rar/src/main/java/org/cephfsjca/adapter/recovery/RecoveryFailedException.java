package org.cephfsjca.adapter.recovery;

/** Start-time recovery cannot run as configured (for example RECLAIM on a Ceph that only implements RESET). */
public class RecoveryFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecoveryFailedException(String message) {
        super(message);
    }

    public RecoveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
