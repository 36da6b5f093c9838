package org.cephfsjca.adapter.cluster;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Cluster membership: the adapters that share a uuid prefix and cephx user on one file system each keep a lease in
 * {@code /.cephfs-jca/<prefix>-<nodeId>/lease}; every running adapter lists them and reads its peers' heartbeats,
 * once per lease interval (a listing plus one small read per peer, through this node's lease session). A peer whose
 * heartbeat has not moved for {@code takeoverAfterMillis} is handed to {@link Takeover}: exactly one survivor proves
 * it dead and resets its sessions, so its locks and caps are free within seconds even when it never comes back.
 *
 * <p>A read of a dead peer's lease blocks in libcephfs until that peer's sessions are reset; it runs on a reader
 * thread of its own, so the watch goes on, and its thread returns once the takeover has reset the peer.
 */
public final class PeerWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeerWatch.class.getName());

    /** Stopped or taken-over peers are read this many times less often: only a restart changes them. */
    private static final int INACTIVE_READ_EVERY = 40;
    /** Takeovers at once: each resets a whole node in parallel already; many dead nodes queue. */
    private static final int PARALLEL_TAKEOVERS = 2;

    /** What this node knows about one peer. Touched by the watch thread only. */
    private static final class Peer {
        LeaseRecord last;
        long changedAt;
        Future<LeaseRecord> read;
        long readStartedAt;
        Future<?> takeover;
        int skipped;

        boolean inactive() {
            return last == null || !last.running();
        }
    }

    private final CephMount mount;
    private final String prefix;
    private final String self;
    private final long intervalMillis;
    private final long takeoverAfterNanos;
    private final long readBoundNanos;
    private final Takeover takeover;
    private final Map<String, Peer> peers = new HashMap<>();
    private final List<TakeoverRecord> done = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watch;
    private final ExecutorService readers;
    private final ExecutorService takeovers;

    public PeerWatch(CephMount leaseSession, String prefix, String self, long intervalMillis, long takeoverAfterMillis,
                     Takeover takeover) {
        this.mount = leaseSession;
        this.prefix = prefix;
        this.self = self;
        this.intervalMillis = intervalMillis;
        this.takeoverAfterNanos = TimeUnit.MILLISECONDS.toNanos(takeoverAfterMillis);
        this.readBoundNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(300, 2 * intervalMillis));
        this.takeover = takeover;
        this.watch = Executors.newSingleThreadScheduledExecutor(daemons("cephfs-jca-peer-watch-" + self));
        this.readers = Executors.newCachedThreadPool(daemons("cephfs-jca-peer-read-" + self));
        this.takeovers = Executors.newFixedThreadPool(PARALLEL_TAKEOVERS, daemons("cephfs-jca-takeover-" + self));
    }

    public void start() {
        watch.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The takeovers this node did since it started. */
    public List<TakeoverRecord> takeoversDone() {
        return List.copyOf(done);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (String peer : listPeers()) {
                observe(peer, peers.computeIfAbsent(peer, p -> newPeer(now)), now);
            }
        } catch (IOException | RuntimeException e) {
            // the lease session is this node's business (its heartbeat reports a lost session); try again next tick
            LOG.log(Level.FINE, "cephfs-jca: peer watch of node " + self + " failed once", e);
        }
    }

    private static Peer newPeer(long now) {
        Peer p = new Peer();
        p.changedAt = now; // a peer found dead at our start is taken over takeoverAfter later
        return p;
    }

    private void observe(String name, Peer p, long now) {
        if (p.read != null && p.read.isDone()) {
            try {
                LeaseRecord r = p.read.get();
                if (r == null || !r.sameBeat(p.last) || !r.running()) {
                    p.changedAt = now;
                }
                p.last = r;
            } catch (Exception e) {
                // a failed read tells nothing: it is retried next tick
            }
            p.read = null;
        }
        if (p.read == null && p.inactive() && p.last != null && ++p.skipped < INACTIVE_READ_EVERY) {
            return;
        }
        if (p.read == null) {
            p.skipped = 0;
            String path = OwnerLease.leasePath(OwnerLease.directoryOf(prefix, name));
            p.readStartedAt = now;
            p.read = readers.submit(() -> LeaseRecord.read(mount, path));
        }
        boolean busy = p.takeover != null && !p.takeover.isDone();
        if (p.last != null && p.last.running() && !busy && now - p.changedAt > takeoverAfterNanos) {
            boolean unanswered = !p.read.isDone() && now - p.readStartedAt > readBoundNanos;
            LeaseRecord last = p.last;
            p.takeover = takeovers.submit(() -> takeOver(name, last, unanswered));
        }
    }

    private void takeOver(String peer, LeaseRecord last, boolean unanswered) {
        try {
            LOG.fine(() -> "cephfs-jca: node " + self + ": heartbeat of peer " + peer + " stands still (" + last
                    + (unanswered ? ", lease read unanswered" : "") + "): trying to take it over");
            TakeoverRecord r = takeover.attempt(mount, readers, peer, last, unanswered);
            if (r != null) {
                done.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: node " + self + " could not take over dead node " + peer + ": " + e, e);
        }
    }

    /** Node ids of the other adapters of this cluster: directories {@code <prefix>-<nodeId>} under the lease root. */
    private List<String> listPeers() throws IOException {
        String mine = prefix + "-" + self;
        List<DirEntry> entries;
        try {
            entries = mount.list(OwnerLease.DIRECTORY);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (DirEntry e : entries) {
            String n = e.name();
            if (n.startsWith(prefix + "-") && !n.equals(mine) && n.length() > prefix.length() + 1) {
                out.add(n.substring(prefix.length() + 1));
            }
        }
        return out;
    }

    /** Stops watching; takeovers in progress finish on their own threads (they are bounded by the recovery timeout). */
    @Override
    public void close() {
        watch.shutdownNow();
        readers.shutdownNow();
        takeovers.shutdown();
        try {
            watch.awaitTermination(5, TimeUnit.SECONDS);
            takeovers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
