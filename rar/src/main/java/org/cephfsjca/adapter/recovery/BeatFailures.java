package org.cephfsjca.adapter.recovery;

import java.util.function.Consumer;

/**
 * What the log says of failing lease heartbeats. A beat repeats every {@code leaseIntervalMs}; a cause that lasts
 * (a full cluster answering ENOSPC, say) would otherwise put a warning with a stack trace in the log every beat. The
 * first failure is told, with its cause; while the same cause goes on, one line a minute counts the beats that
 * failed; a different cause is told at once; the first beat that succeeds again says so. Not thread-safe: one
 * heartbeat thread calls it.
 */
final class BeatFailures {

    /** How often a cause that goes on is mentioned again. */
    static final long REPEAT_NANOS = 60_000_000_000L;

    private final String nodeId;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private String cause;
    private long failedSince;
    private long lastTold;
    private long failedBeats;

    BeatFailures(String nodeId, Consumer<String> warn, Consumer<String> info) {
        this.nodeId = nodeId;
        this.warn = warn;
        this.info = info;
    }

    /** @return true when this failure was told (the caller then adds the stack trace at a finer level) */
    boolean failed(String why, long nanoTime) {
        failedBeats++;
        if (cause == null || !cause.equals(why)) {
            boolean first = cause == null;
            if (first) {
                failedSince = nanoTime;
            }
            cause = why;
            lastTold = nanoTime;
            warn.accept("cephfs-jca: lease heartbeat of node " + nodeId + " failed: " + why
                    + (first ? "" : " (failing for " + seconds(nanoTime - failedSince) + " s, " + failedBeats
                    + " beats)") + "; the lease is not renewed while it fails");
            return true;
        }
        if (nanoTime - lastTold >= REPEAT_NANOS) {
            lastTold = nanoTime;
            warn.accept("cephfs-jca: lease heartbeat of node " + nodeId + " still failing after "
                    + seconds(nanoTime - failedSince) + " s (" + failedBeats + " beats): " + why);
        }
        return false;
    }

    void succeeded(long nanoTime) {
        if (cause != null) {
            info.accept("cephfs-jca: lease heartbeat of node " + nodeId + " renewed again after "
                    + seconds(nanoTime - failedSince) + " s and " + failedBeats + " failed beats");
            cause = null;
            failedBeats = 0;
        }
    }

    private static long seconds(long nanos) {
        return nanos / 1_000_000_000L;
    }
}
