package org.cephfsjca.adapter.cluster;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Garbage collection of lease directories: a node that stopped cleanly or was taken over and has not come back
 * within {@code leaseRetentionSeconds} (a renamed pod never does) has its directory {@code /.cephfs-jca/<prefix>-<node>}
 * deleted by a survivor, so the lease root does not grow with every node name ever used. The same flock on the
 * node's takeover file that arbitrates takeovers makes one survivor do it, and the lease is read again under that
 * lock: a node that restarted meanwhile (state running, or a fresh file) is left alone. The age is the lease file's
 * modification time, which every heartbeat, the clean stop and the takeover marker update.
 */
final class LeaseCollector {

    private static final Logger LOG = Logger.getLogger(LeaseCollector.class.getName());

    private final Duration retention;
    private final String self;

    /** @param retentionSeconds 0 keeps every directory */
    LeaseCollector(int retentionSeconds, String self) {
        this.retention = Duration.ofSeconds(retentionSeconds);
        this.self = self;
    }

    boolean enabled() {
        return !retention.isZero();
    }

    /**
     * Deletes the directory of inactive peer {@code peer} if its lease is older than the retention.
     *
     * @return true if it was deleted
     */
    boolean collectIfExpired(CephMount m, LeaseObjects leases, String prefix, String peer) throws IOException {
        String dir = OwnerLease.directoryOf(prefix, peer);
        String lease = OwnerLease.leasePath(dir);
        String takeover = OwnerLease.takeoverPath(dir);
        if (!expired(m, lease)) {
            return false;
        }
        long owner = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (CephFile arbiter = m.open(takeover, O_RDWR, 0)) {
            if (!arbiter.lock(LockMode.EXCLUSIVE, false, owner)) {
                return false; // a takeover or another survivor's collection is under way
            }
            try {
                LeaseRecord r = leases.read(peer); // from RADOS: no caps left on a file its node may write again
                if (r == null || r.running() || !expired(m, lease)) {
                    return false; // restarted meanwhile, or not a lease we understand
                }
                m.unlink(lease);
                m.unlink(takeover);
                if (r.takenOver()) {
                    leases.forget(peer, r.field("instance")); // the takeover's claim object at the OSDs
                }
                try {
                    m.rmdir(dir);
                } catch (DirectoryNotEmptyException e) {
                    LOG.info(() -> "cephfs-jca: node " + self + " left " + dir + " in place: it holds other files");
                }
                LOG.info(() -> "cephfs-jca: node " + self + " deleted the lease directory of node " + peer + " (" + r.state()
                        + ", unchanged for more than " + retention.toSeconds() + " s: leaseRetentionSeconds)");
                return true;
            } finally {
                try {
                    arbiter.unlock(owner);
                } catch (IOException e) {
                    // the file is unlinked; closing the descriptor releases the lock anyway
                }
            }
        } catch (NoSuchFileException e) {
            return false; // collected by another survivor, or no takeover file (a node of an older version)
        }
    }

    private boolean expired(CephMount m, String lease) throws IOException {
        try {
            Instant modified = m.stat(lease).lastModified();
            return modified.plus(retention).isBefore(Instant.now());
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
