package org.cephfsjca.adapter.cluster;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.logging.Logger;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.adapter.recovery.SessionRecovery;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Takes one dead peer over: (1) proof, its heartbeat (read from RADOS) still stands where it was an interval later;
 * (2) arbitration, an exclusive create of a claim object at the OSDs that exactly one survivor wins, with no MDS
 * involved (after an MDS restart the MDS waits in clientreplay for this peer's sessions, and no flock is granted); (3) the reset of every slot uuid and the lease uuid of the peer, in parallel ({@link SessionRecovery});
 * (4) the record, in the takeover file and as a {@code state=taken-over} lease, which the peer's next start reports.
 * All through this node's lease session, so that a takeover of this node in turn releases whatever it held.
 */
public final class Takeover {

    /** Reads a peer's current lease record. */
    @FunctionalInterface
    interface LeaseSource {
        LeaseRecord read(String peer) throws IOException;
    }

    /** Leases plus the claim that makes exactly one survivor take a dead incarnation over (see LeaseObjects). */
    interface Arbiter extends LeaseSource {
        /** True for exactly one caller per (peer, instance), ever. */
        boolean claim(String peer, String instance) throws IOException;
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
    TakeoverRecord attempt(CephMount m, Arbiter leases, String peer, LeaseRecord last, long stillMillis)
            throws IOException, InterruptedException {
        String dir = OwnerLease.directoryOf(prefix, peer);
        String proof = proveDead(leases, peer, last, stillMillis);
        if (proof == null) {
            return null;
        }
        // arbitration at the OSDs, so that it works while the MDS waits in clientreplay for this very peer's sessions
        if (!leases.claim(peer, last.field("instance"))) {
            return null; // another survivor won: it resets the peer
        }
        SessionUuids peerUuids = opener.uuids().forNode(peer); // the keyed scheme, same secret
        int slots = slotsOf(last);
        RecoveryReport r = new SessionRecovery(opener, peerUuids, slots).recoverAll(identity,
                peerUuids.lease(), "takeover of dead node " + peer + " by node " + self + " (" + proof + ")");
        resetProbe(peerUuids);
        TakeoverRecord record = new TakeoverRecord(peer, last.field("instance"), self, Instant.now(),
                r.sessionsReset(), r.notFound(), r.failed(), r.millis(), proof + "; " + r.note());
        LOG.info(() -> "cephfs-jca: " + record.summary());
        // the markers go through CephFS: after an MDS restart they wait until the resets have let it finish replay
        try (CephFile f = m.open(OwnerLease.takeoverPath(dir), O_RDWR, 0)) {
            record.write(f);
            if (r.note() != null && r.note().contains("lease session: FAILED")) {
                // its lease session may still hold the file: opening it could wait for that dead client
                LOG.warning(() -> "cephfs-jca: " + record.summary() + "; its lease session was not reset, so"
                        + " its lease is not marked taken over");
                return record;
            }
            markLease(m, dir, record, last);
        } catch (IOException | RuntimeException e) {
            // the peer is reset; only the markers are missing, and the claim keeps other survivors off it
            LOG.warning(() -> "cephfs-jca: " + record.summary() + "; but recording it failed: " + e);
        }
        return record;
    }

    /** The peer's start probe may have died mounted too (see OwnerLease#probeUuid): one more reset, ~4 ms if none. */
    private void resetProbe(SessionUuids peerUuids) {
        try (CephMount m = opener.initializedForReset(identity)) {
            m.resetSession(OwnerLease.probeUuid(peerUuids.lease()));
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "cephfs-jca: resetting the probe session of dead node " + peerUuids.nodeId()
                    + " failed: " + e.getMessage());
        }
    }

    /**
     * Null if the peer's heartbeat moved (alive, or restarted), else how it was proven dead: its heartbeat still stands
     * where it was one interval (plus a fifth, at least 50 ms) later: a live node beats once in that time.
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
