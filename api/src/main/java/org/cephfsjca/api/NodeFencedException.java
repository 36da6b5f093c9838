package org.cephfsjca.api;

/**
 * This server (its adapter's node) may not work on the file system right now, so the call was refused before it
 * reached CephFS. Two cases, told apart by {@link #errno()}:
 * <ul>
 * <li>{@link Errno#ESHUTDOWN}, {@link #fenced()} true: peers proved this node dead (it was paused or cut off longer
 *     than their takeover bound) and reset its sessions; Ceph blocklisted them, so nothing written through them after
 *     that can land. The adapter discards those sessions and serves again on fresh ones once it has re-established
 *     its lease; the caller's work in progress (open streams, held locks) is lost and must be redone.</li>
 * <li>{@link Errno#EAGAIN}, {@link #fenced()} false: self-fencing. The node could not renew its own lease for longer
 *     than its bound, which is shorter than the peers' takeover bound, so it stops before they could act. The call may
 *     be retried; it succeeds once the lease is renewed.</li>
 * </ul>
 */
public class NodeFencedException extends CephFileSystemException {

    private static final long serialVersionUID = 1L;

    public NodeFencedException(String call, Errno errno, String subject, String reason) {
        super(call, errno.code(), subject, null, call + ": " + errno.name() + " (" + reason + ")");
    }

    /** True if peers reset this node's sessions; false for self-fencing (a stale lease, retryable). */
    public boolean fenced() {
        return errno() == Errno.ESHUTDOWN;
    }
}
