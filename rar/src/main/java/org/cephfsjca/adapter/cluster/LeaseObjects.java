package org.cephfsjca.adapter.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.RadosAdmin;

/**
 * Reads peers' lease records straight from the OSDs: the first RADOS object of each lease file, which the owner's
 * heartbeat rewrites and fsyncs every interval.
 *
 * <p>Why not through CephFS: a client that reads a file keeps caps on it, and the next write of its owner must take
 * them back. A node that died (or is paused) after reading its peers' leases holds caps on all of them, so every
 * live peer's heartbeat write, and every other read of those leases, waits until that node is reset: all peers look
 * dead at once, and survivors took each other over (measured: PauseFencingTest, 1 run in 10 before this). Reads from
 * RADOS take no caps, so a dead node stalls nobody's heartbeat but its own.
 *
 * <p>The inode of each lease file comes from a listing of the peer's directory (no caps on the file); it is looked up
 * again when the object is missing or the node is seen inactive (its file may be re-created after a collection).
 */
public final class LeaseObjects implements AutoCloseable, Takeover.Arbiter {

    private final RadosAdmin rados;
    private final CephMount mount;
    private final String prefix;
    private final ConcurrentHashMap<String, Long> inodes = new ConcurrentHashMap<>();
    private final String pool;
    private final String self;

    private LeaseObjects(RadosAdmin rados, CephMount mount, String prefix, String pool, String self) {
        this.self = self;
        this.rados = rados;
        this.mount = mount;
        this.prefix = prefix;
        this.pool = pool;
    }

    /** Connects a RADOS handle as the adapter's identity (it needs only what a CephFS client has: osd r on the data pool). */
    public static LeaseObjects connect(AdapterConfig config, Identity identity, CephMount leaseSession) throws IOException {
        RadosAdmin r = org.cephfsjca.adapter.session.RadosConnections.connect(config, identity,
                config.mountTimeoutSeconds(), 10, 10);
        try {
            // every lease file has the layout of this node's own (a directory's answer is empty: no file layout)
            String pool = leaseSession.poolName(OwnerLease.leasePath(OwnerLease.directoryOf(config.uuidPrefix(),
                    config.nodeId())));
            if (pool.isEmpty()) {
                throw new IOException("ceph_get_path_pool_name gave no data pool for this node's lease file");
            }
            return new LeaseObjects(r, leaseSession, config.uuidPrefix(), pool, config.nodeId());
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /**
     * The takeover claim on incarnation {@code instance} of {@code peer}: an exclusive create of object
     * {@code cephfs-jca.takeover.<prefix>-<peer>.<instance>} in the data pool, which exactly one survivor wins, at the
     * OSDs, whatever state the MDS is in. Removed with the peer's lease directory ({@link #forget}).
     */
    @Override
    public boolean claim(String peer, String instance) throws IOException {
        return rados.createExclusive(pool, claimObject(peer, instance), ("by=" + self + " at="
                + java.time.Instant.now() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Removes the claim on {@code instance} of {@code peer} (its lease directory is being deleted). */
    void forget(String peer, String instance) throws IOException {
        rados.remove(pool, claimObject(peer, instance));
    }

    private String claimObject(String peer, String instance) {
        return "cephfs-jca.takeover." + prefix + "-" + peer + "." + instance;
    }

    /** The current lease record of {@code peer}, or null when it has none (yet). */
    @Override
    public LeaseRecord read(String peer) throws IOException {
        String dir = OwnerLease.directoryOf(prefix, peer);
        Long ino = inodes.get(peer);
        if (ino == null) {
            ino = inodeOf(dir);
            if (ino == null) {
                return null;
            }
            inodes.put(peer, ino);
        }
        byte[] b = rados.read(pool, CephMount.firstObjectOf(ino), LeaseRecord.SIZE);
        if (b == null) {
            inodes.remove(peer); // not flushed yet, or re-created under another inode
            return null;
        }
        LeaseRecord r = LeaseRecord.parse(new String(b, StandardCharsets.US_ASCII));
        if (!r.running()) {
            inodes.remove(peer); // a restart after a collection would write a new file
        }
        return r;
    }

    private Long inodeOf(String dir) throws IOException {
        try {
            for (DirEntry e : mount.list(dir)) {
                if (e.name().equals("lease")) {
                    return e.inode();
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        return null;
    }

    @Override
    public void close() {
        rados.close();
    }
}
