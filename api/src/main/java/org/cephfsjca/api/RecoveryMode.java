package org.cephfsjca.api;

/** What the adapter does at start with the sessions a crashed previous incarnation left behind. */
public enum RecoveryMode {
    /** Reset (evict) every session with one of this node's slot uuids, releasing their locks and caps. */
    RESET,
    /** Do nothing: stale sessions live until the MDS times them out (session_autoclose, 300 s by default). */
    NONE,
    /**
     * Ask the MDS for a real reclaim (keep the state). Ceph answers EINVAL/EOPNOTSUPP today; the adapter then fails
     * to start, or falls back to {@link #RESET} when configured to.
     */
    RECLAIM
}
