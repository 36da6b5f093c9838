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
 * {@code /.cephfs-jca/<prefix>-<nodeId>/lease}; every running adapter lists them (every {@value #LIST_EVERY}
 * intervals) and reads its peers' heartbeats once per lease interval, from RADOS ({@link LeaseObjects}: no caps, so a
 * dead reader stalls nobody). A peer whose heartbeat has not moved for {@code takeoverAfterMillis} (or the longer
 * bound its own lease advertises) is handed to {@link Takeover}: exactly one survivor proves it dead and resets its
 * sessions, so its locks and caps are free within seconds even when it never comes back. A JVM paused longer than
 * that (a very long GC pause) is taken over too: it has fenced itself by then (LeaseGate), and rejoins when it resumes.
 * Stopped and taken-over peers' directories are deleted after {@code leaseRetentionSeconds} ({@link LeaseCollector}).
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
        Future<Boolean> collection;
        boolean collected;
        boolean foreign;
        int skipped;

        boolean inactive() {
            return last == null || !last.running();
        }
    }

    /** Lists the lease directory (see {@link #listPeers}). */
    @FunctionalInterface
    public interface Lister {
        List<DirEntry> list(String directory) throws IOException;
    }

    /** Ticks between two listings of the lease directory: new peers are noticed within this many intervals. */
    private static final int LIST_EVERY = 8;

    private final CephMount mount;
    private final LeaseObjects objects;
    /** This node's own lease is fresh: a survivor whose own heartbeat stalls too takes nobody over (see tick). */
    private final java.util.function.BooleanSupplier selfFresh;
    private final Lister lister;
    private final String prefix;
    private final String self;
    private final long intervalMillis;
    private final long takeoverAfterNanos;
    private final Takeover takeover;
    private final LeaseCollector collector;
    private final Map<String, Peer> peers = new HashMap<>();
    private final List<TakeoverRecord> done = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watch;
    private final ExecutorService readers;
    private final ExecutorService takeovers;

    public PeerWatch(CephMount leaseSession, Lister lister, String prefix, String self, long intervalMillis,
                     long takeoverAfterMillis, Takeover takeover, int leaseRetentionSeconds, LeaseObjects objects,
                     java.util.function.BooleanSupplier selfFresh) {
        this.selfFresh = selfFresh;
        this.mount = leaseSession;
        this.objects = objects;
        this.lister = lister;
        this.prefix = prefix;
        this.self = self;
        this.intervalMillis = intervalMillis;
        this.takeoverAfterNanos = TimeUnit.MILLISECONDS.toNanos(takeoverAfterMillis);
        this.takeover = takeover;
        this.collector = new LeaseCollector(leaseRetentionSeconds, self);
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

    private Future<List<String>> listing;
    private int ticks;

    private void tick() {
        try {
            long now = System.nanoTime();
            if (listing != null && listing.isDone()) {
                try {
                    for (String peer : listing.get()) {
                        peers.computeIfAbsent(peer, p -> newPeer(now));
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.log(Level.FINE, "cephfs-jca: node " + self + " could not list its peers", e.getCause());
                }
                listing = null;
            }
            if (listing == null && ticks++ % LIST_EVERY == 0) {
                listing = readers.submit(this::listPeers); // bounded by nothing: a stuck listing just waits
            }
            for (java.util.Iterator<Map.Entry<String, Peer>> it = peers.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Peer> e = it.next();
                observe(e.getKey(), e.getValue(), now);
                if (e.getValue().collected) {
                    it.remove(); // its directory is gone; a restart under that name is listed again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
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
                if (r != null && !"?".equals(r.field("prefix")) && !prefix.equals(r.field("prefix"))) {
                    // "<prefix>-<node>" of another cluster whose prefix extends ours (app-x-n1 for app): not a peer
                    p.foreign = true;
                    p.read = null;
                    return;
                }
                if (r == null || !r.sameBeat(p.last) || !r.running()) {
                    p.changedAt = now;
                }
                p.last = r;
                if (r != null && !r.running() && collector.enabled() && p.collection == null) {
                    // stopped or taken over (read again every INACTIVE_READ_EVERY ticks): its directory may be old
                    // enough to delete
                    p.collection = readers.submit(() -> collector.collectIfExpired(mount, objects, prefix, name));
                }
            } catch (Exception e) {
                // a failed read tells nothing: it is retried next tick
                LOG.log(Level.FINE, "cephfs-jca: node " + self + " could not read the lease of " + name, e);
            }
            p.read = null;
        }
        if (p.foreign) {
            return;
        }
        if (p.collection != null && p.collection.isDone()) {
            try {
                p.collected = p.collection.get();
            } catch (Exception e) {
                LOG.log(Level.FINE, "cephfs-jca: node " + self + " could not collect the lease of " + name, e);
            }
            p.collection = null;
        }
        if (p.read == null && p.inactive() && p.last != null && ++p.skipped < INACTIVE_READ_EVERY) {
            return;
        }
        if (p.read == null) {
            p.skipped = 0;
            p.readStartedAt = now;
            p.read = readers.submit(() -> objects.read(name)); // from RADOS: see LeaseObjects
        }
        boolean busy = p.takeover != null && !p.takeover.isDone();
        long still = now - p.changedAt;
        long bound = boundFor(p.last);
        // while this node's own heartbeat stalls too, the cause is likely shared (OSDs or MDS slow, this host paused):
        // nobody is taken over until it beats again
        if (p.last != null && p.last.running() && !busy && still > bound && selfFresh.getAsBoolean()) {
            LeaseRecord last = p.last;
            p.takeover = takeovers.submit(() -> takeOver(name, last, TimeUnit.NANOSECONDS.toMillis(still)));
        }
    }

    /**
     * The takeover bound for a peer: ours, or the one its lease advertises if longer (its self-fencing is derived from
     * its own bound, so a peer configured with a longer one must get it).
     */
    private long boundFor(LeaseRecord last) {
        if (last != null) {
            try {
                long theirs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(last.field("takeover")));
                if (theirs > takeoverAfterNanos) {
                    return theirs;
                }
            } catch (NumberFormatException e) {
                // an older lease, or takeover=0 would parse: either way ours applies
            }
        }
        return takeoverAfterNanos;
    }

    private void takeOver(String peer, LeaseRecord last, long stillMillis) {
        try {
            LOG.fine(() -> "cephfs-jca: node " + self + ": heartbeat of peer " + peer + " stands still (" + last
                    + ", for " + stillMillis + " ms): trying to take it over");
            if (!selfFresh.getAsBoolean()) {
                return;
            }
            TakeoverRecord r = takeover.attempt(mount, objects, peer, last, stillMillis);
            if (r != null) {
                done.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: node " + self + " could not take over dead node " + peer + ": " + e, e);
        }
    }

    /**
     * Node ids of the other adapters of this cluster: directories {@code <prefix>-<nodeId>} under the lease root.
     * Listed through the {@link Lister} (the lease session, which a takeover or restart of this node resets: a
     * listing leaves caps on the directory, and a node that died holding them blocks other nodes' starts, which
     * create their directory there, until then).
     */
    private List<String> listPeers() throws IOException {
        String mine = prefix + "-" + self;
        List<DirEntry> entries;
        try {
            entries = lister.list(OwnerLease.DIRECTORY);
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
            // a listing still in flight on the lease session would defer that session's unmount past a process exit,
            // leaving it in the MDS with caps on the lease root (seen twice in ~75 benchmark runs)
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        objects.close(); // a read still in flight keeps the handle until it returns (NativeGuard)
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
