package org.cephfsjca.adapter.fault;

import jakarta.resource.ResourceException;

import org.cephfsjca.api.CephFileSystemException;

/**
 * What the adapter reports to the container with {@code CONNECTION_ERROR_OCCURRED} when a session is gone: one line
 * naming the slot, the uuid and the failure (errno name and path), with no stack trace and no cause. IronJacamar logs
 * the event's exception at WARN with its whole trace (IJ000305), about 90 lines for a session that was evicted: the
 * trace says nothing an operator can act on, and the adapter's own WARNING line has said what happened. The failed
 * call's own exception still reaches the application unchanged.
 */
public final class SessionLostException extends ResourceException {

    private static final long serialVersionUID = 1L;

    private SessionLostException(String message, String errorCode) {
        super(message, errorCode);
    }

    /** The summary of {@code cause} for the session in {@code slot} with {@code uuid}. */
    public static SessionLostException of(int slot, String uuid, Throwable cause) {
        String errno = null;
        for (Throwable c = cause; c != null && errno == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CephFileSystemException e && e.errno() != null) {
                errno = e.errno().name();
            }
        }
        return new SessionLostException("session in slot " + slot + " (uuid " + uuid + ") is unusable: "
                + (cause == null ? "no cause given" : cause.getMessage()), errno);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a report, not a place in the code
    }
}
