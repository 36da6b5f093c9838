package org.cephfsjca.adapter.cluster;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.adapter.recovery.SessionRecovery;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Takes one dead peer over: (1) arbitration, an flock on the peer's takeover file that exactly one survivor gets;
 * (2) proof, its heartbeat (read from RADOS) still stands where it was an interval after the flock was granted; (3) the reset of every slot uuid and the lease uuid of the peer, in parallel ({@link SessionRecovery});
 * (4) the record, in the takeover file and as a {@code state=taken-over} lease, which the peer's next start reports.
 * All through this node's lease session, so that a takeover of this node in turn releases whatever it held.
 */
public final class Takeover {

    /** Reads a peer's current lease record. */
    @FunctionalInterface
    interface LeaseSource {
        LeaseRecord read(String peer) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(Takeover.class.getName());

    private final SessionOpener opener;
    private final Identity identity;
    private final SessionUuids uuids;
    private final String prefix;
    private final String self;
    private final long intervalMillis;

    /** @param uuids this node's session uuids: a peer's are {@code uuids.forNode(peer)}, the same scheme and secret */
    public Takeover(SessionOpener opener, Identity identity, SessionUuids uuids, long intervalMillis) {
        this.opener = opener;
        this.identity = identity;
        this.uuids = uuids;
        this.prefix = uuids.prefix();
        this.self = uuids.nodeId();
        this.intervalMillis = intervalMillis;
    }

    /**
     * Tries to take {@code peer} over.
     *
     * @param leases     reads a peer's current lease record (from RADOS, see LeaseObjects)
     * @param last       the last heartbeat seen from it
     * @param stillMillis how long the watch has seen that heartbeat stand still
     * @return what was done, or null when another survivor holds the arbitration lock or the peer proved alive
     */
    TakeoverRecord attempt(CephMount m, LeaseSource leases, String peer, LeaseRecord last, long stillMillis)
            throws IOException, InterruptedException {
        String dir = OwnerLease.directoryOf(prefix, peer);
        long owner = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (CephFile arbiter = m.open(OwnerLease.takeoverPath(dir), O_RDWR, 0)) {
            if (!arbiter.lock(LockMode.EXCLUSIVE, false, owner)) {
                return null; // another survivor is taking it over
            }
            try {
                TakeoverRecord done = TakeoverRecord.read(arbiter);
                if (done != null && done.instance().equals(last.field("instance"))) {
                    return null; // taken over already (by a survivor whose marker we have not seen yet)
                }
                String proof = proveDead(leases, peer, last, stillMillis);
                if (proof == null) {
                    return null;
                }
                SessionUuids peerUuids = opener.uuids().forNode(peer); // the keyed scheme, same secret (was the plain one)
                int slots = slotsOf(last);
                RecoveryReport r = new SessionRecovery(opener, peerUuids, slots).recoverAll(identity,
                        peerUuids.lease(), "takeover of dead node " + peer + " by node " + self + " (" + proof + ")");
                resetProbe(peerUuids);
                TakeoverRecord record = new TakeoverRecord(peer, last.field("instance"), self, Instant.now(),
                        r.sessionsReset(), r.notFound(), r.failed(), r.millis(), proof + "; " + r.note());
                try {
                    record.write(arbiter);
                    if (r.note() != null && r.note().contains("lease session: FAILED")) {
                        // its lease session may still hold the file: opening it could wait for that dead client
                        LOG.warning(() -> "cephfs-jca: " + record.summary() + "; its lease session was not reset, so"
                                + " its lease is not marked taken over");
                        return record;
                    }
                    markLease(m, dir, record, last);
                } catch (IOException | RuntimeException e) {
                    // the peer is reset; only the markers are missing, and another survivor finds nothing to reset
                    LOG.warning(() -> "cephfs-jca: " + record.summary() + "; but recording it failed: " + e);
                    return record;
                }
                LOG.info(() -> "cephfs-jca: " + record.summary());
                return record;
            } finally {
                arbiter.unlock(owner);
            }
        }
    }

    /** The peer's start probe may have died mounted too (see OwnerLease#probeUuid): one more reset, ~4 ms if none. */
    private void resetProbe(SessionUuids peerUuids) {
        try (CephMount m = opener.initialized(identity)) {
            m.resetSession(OwnerLease.probeUuid(peerUuids.lease()));
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "cephfs-jca: resetting the probe session of dead node " + peerUuids.nodeId()
                    + " failed: " + e.getMessage());
        }
    }

    /**
     * Null if the peer's heartbeat moved (alive, or restarted), else how it was proven dead: its heartbeat still stands
     * where it was one interval (plus a fifth, at least 50 ms) after this survivor won the arbitration flock. The flock was granted, so the
     * MDS answers now: a peer that merely waited for an MDS that was down or restarting (its heartbeat needs none, but
     * a stalled one catches up within an interval) beats again by then.
     */
    private String proveDead(LeaseSource leases, String peer, LeaseRecord last, long stillMillis)
            throws IOException, InterruptedException {
        long wait = intervalMillis + Math.max(50, intervalMillis / 5); // a live node beats once in that time
        Thread.sleep(wait);
        LeaseRecord now = leases.read(peer);
        if (now == null || !now.running() || !now.sameBeat(last)) {
            return null; // gone, stopped, taken over, or beating again
        }
        return "its heartbeat " + last.field("seq") + " stood still for " + (stillMillis + wait) + " ms";
    }

    /** Writes the taken-over marker into the peer's lease (its sessions are reset: nothing holds caps on it now). */
    private void markLease(CephMount m, String dir, TakeoverRecord record, LeaseRecord last) throws IOException {
        String text = "cephfs-jca-lease v1 state=taken-over seq=" + last.field("seq") + " instance="
                + last.field("instance") + " prefix=" + prefix + " by=" + record.by() + " at=" + record.at() + " slots=" + last.field("slots");
        try (CephFile f = m.open(OwnerLease.leasePath(dir), O_RDWR, 0)) {
            f.write(ByteBuffer.wrap(LeaseRecord.encode(text)), 0);
            f.fsync(false);
        }
    }

    private int slotsOf(LeaseRecord last) {
        try {
            int n = Integer.parseInt(last.field("slots"));
            if (n >= 1 && n <= org.cephfsjca.adapter.config.AdapterConfig.MAX_SESSION_SLOTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // a lease written before slots were recorded
        }
        return opener.config().sessionSlots();
    }
}
