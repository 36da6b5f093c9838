package org.cephfsjca.adapter.watchdog;

import java.io.IOException;

/**
 * operationTimeoutSeconds is set, but the adapter cannot fence a session whose calls hang: its cephx user may not
 * blocklist clients (the message names the missing mon cap), or the monitors could not be asked. The start fails.
 */
public final class FencingUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public FencingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
