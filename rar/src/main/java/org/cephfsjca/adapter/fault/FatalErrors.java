package org.cephfsjca.adapter.fault;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/**
 * Tells failures that mean the session itself is gone (the client was blocklisted or evicted, or its mount was
 * unmounted or closed) from ordinary file-system errors. A connection whose call failed fatally must not go back
 * to the pool: every later call on that session would fail too.
 */
public final class FatalErrors {

    /**
     * ESHUTDOWN is what Ceph's client returns once it has been blocklisted (EBLOCKLISTED); ENOTCONN when its MDS
     * session is closed or it is not mounted; ECONNRESET when the session was reset under it.
     */
    private static final Set<Errno> FATAL_ERRNOS = EnumSet.of(Errno.ESHUTDOWN, Errno.ENOTCONN, Errno.ECONNRESET);

    /**
     * The binding's messages for a mount that is closed, being unmounted or not mounted (see CephMount and
     * NativeGuard). Matched exactly so that "file /x is closed" (one file, not the session) is not fatal.
     */
    private static final Pattern MOUNT_GONE = Pattern.compile(
            "ceph mount \\(client\\.[A-Za-z0-9._-]+\\) is (closed|being unmounted.*)"
                    + "|[a-z_]+: mount of client\\.[A-Za-z0-9._-]+( \\(uuid [^)]*\\))? is not mounted.*");

    private static final String BINDING_PACKAGE = "org.cephfsjca.libcephfs.";
    private static final int MAX_CAUSE_DEPTH = 32;

    private FatalErrors() {
    }

    /** True if {@code t}, or any exception in its cause chain, says the session is unusable. Null gives false. */
    public static boolean isFatal(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (isFatalItself(c)) {
                return true;
            }
            Throwable next = c.getCause();
            if (next == c) {
                break;
            }
            c = next;
        }
        return false;
    }

    /** True for the errnos that mean the session is gone: ESHUTDOWN, ENOTCONN, ECONNRESET. */
    public static boolean isFatal(Errno errno) {
        return errno != null && FATAL_ERRNOS.contains(errno);
    }

    private static boolean isFatalItself(Throwable t) {
        if (t instanceof org.cephfsjca.libcephfs.OperationTimeoutException) {
            return true; // the watchdog fenced the session (operationTimeoutSeconds): it is blocklisted
        }
        if (t instanceof CephFileSystemException) {
            return isFatal(((CephFileSystemException) t).errno());
        }
        if (t instanceof IllegalStateException) {
            String msg = t.getMessage();
            return msg != null && MOUNT_GONE.matcher(msg).matches() && thrownByBinding(t);
        }
        return false;
    }

    /** The binding throws these; an application's own IllegalStateException with a similar text is not ours. */
    private static boolean thrownByBinding(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 || trace[0].getClassName().startsWith(BINDING_PACKAGE);
    }
}
