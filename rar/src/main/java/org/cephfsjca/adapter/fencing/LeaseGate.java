package org.cephfsjca.adapter.fencing;

import java.util.concurrent.TimeUnit;

import org.cephfsjca.api.Errno;
import org.cephfsjca.api.NodeFencedException;
import org.cephfsjca.libcephfs.CallGate;

/**
 * The gate in front of every call on this node's pooled sessions ({@link org.cephfsjca.libcephfs.CephMount#gate}):
 * a call is admitted only while this node can show that it still owns its sessions.
 *
 * <ul>
 * <li><b>Fenced</b> (peers reset this node's sessions): every call fails at once with {@link NodeFencedException}
 *     ESHUTDOWN until the node has rejoined ({@link #reopen}).</li>
 * <li><b>Self-fencing</b>: the lease was last renewed (a heartbeat that reached the OSDs) longer ago than
 *     {@code boundMillis}, which is shorter than the peers' takeover bound. A call then asks for an immediate renewal
 *     and waits for it, at most {@code waitMillis}; if none lands it fails with {@link NodeFencedException} EAGAIN.
 *     A node paused (SIGSTOP, a long GC pause) or cut off thus stops working before its peers may take it over, and a
 *     node that resumes after they did learns it from the renewal (its lease session is blocklisted) before any call
 *     of its own runs.</li>
 * </ul>
 * The renewal time is taken when the heartbeat write <em>starts</em>: peers see the beat no earlier than that, so they
 * count their takeover bound from a later instant than this node counts its own.
 */
public final class LeaseGate implements CallGate {

    private final String nodeId;
    private final long boundNanos;
    private final long waitNanos;
    private final Runnable renewNow;
    private final Object renewal = new Object();
    private volatile long renewedAt;
    private volatile String fencedReason;

    /**
     * @param boundMillis how stale the lease may be before calls wait for a renewal; 0 disables self-fencing (the
     *                    fenced state still applies)
     * @param waitMillis  how long a call waits for that renewal
     * @param renewNow    asks the lease for a heartbeat now (must not block)
     */
    public LeaseGate(String nodeId, long boundMillis, long waitMillis, Runnable renewNow) {
        this.nodeId = nodeId;
        this.boundNanos = boundMillis == 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(boundMillis);
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        this.renewNow = renewNow;
        this.renewedAt = System.nanoTime();
    }

    @Override
    public void admit(String call, String subject) throws NodeFencedException {
        String why = fencedReason;
        if (why != null) {
            throw fenced(call, subject, why);
        }
        if (System.nanoTime() - renewedAt < boundNanos) {
            return;
        }
        renewNow.run();
        long deadline = System.nanoTime() + waitNanos;
        synchronized (renewal) {
            for (;;) {
                why = fencedReason;
                if (why != null) {
                    throw fenced(call, subject, why);
                }
                long now = System.nanoTime();
                if (now - renewedAt < boundNanos) {
                    return;
                }
                long left = deadline - now;
                if (left <= 0) {
                    throw new NodeFencedException(call, Errno.EAGAIN, subject, "node " + nodeId
                            + " could not renew its lease for " + TimeUnit.NANOSECONDS.toMillis(now - renewedAt)
                            + " ms (self-fencing bound " + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms): it refuses"
                            + " calls until it can, so that its peers never take it over while it still writes");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(renewal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeFencedException(call, Errno.EAGAIN, subject, "interrupted while node " + nodeId
                            + " waited for its lease to be renewed");
                }
            }
        }
    }

    private NodeFencedException fenced(String call, String subject, String why) {
        return new NodeFencedException(call, Errno.ESHUTDOWN, subject, "node " + nodeId + " was fenced: " + why
                + "; it serves again on fresh sessions once it has re-established its lease");
    }

    /** A heartbeat that started at {@code startedAt} (System.nanoTime) reached the OSDs. */
    public void renewed(long startedAt) {
        synchronized (renewal) {
            if (startedAt - renewedAt > 0) {
                renewedAt = startedAt;
            }
            renewal.notifyAll();
        }
    }

    /** From now on every call fails with ESHUTDOWN naming {@code reason}. */
    public void fence(String reason) {
        synchronized (renewal) {
            fencedReason = reason;
            renewal.notifyAll();
        }
    }

    /** The node rejoined: calls are admitted again (its new lease was just renewed). */
    public void reopen() {
        synchronized (renewal) {
            renewedAt = System.nanoTime();
            fencedReason = null;
            renewal.notifyAll();
        }
    }

    /** Why the node is fenced now, or null. */
    public String fencedReason() {
        return fencedReason;
    }

    /** Milliseconds since the lease was last renewed. */
    public long staleMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt);
    }

    /** True when self-fencing would refuse a call right now (stale lease) or the node is fenced. */
    public boolean refusing() {
        return fencedReason != null || System.nanoTime() - renewedAt >= boundNanos;
    }
}
