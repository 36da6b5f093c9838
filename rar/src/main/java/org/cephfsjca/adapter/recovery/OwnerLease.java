package org.cephfsjca.adapter.recovery;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.config.NodeIds;
import org.cephfsjca.adapter.fault.FatalErrors;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Proves that the previous owner of this node id is dead before its sessions are reset, so that two servers
 * configured with the same node id cannot evict each other (a reset of a live client succeeds silently).
 *
 * <p>While an adapter runs it holds a lease file {@code /.cephfs-jca/<prefix>-<nodeId>/lease} open through a session
 * of its own (uuid {@code <prefix>-<nodeId>-lease}) and rewrites a heartbeat record in it every
 * {@code leaseIntervalMillis}; a clean stop writes {@code state=stopped}. At start, before any reset, a probe
 * client reads the record, each read bounded by {@code 2 x interval} (at least {@value #MIN_READ_BOUND_MILLIS} ms):
 * <ul>
 * <li>no file, or {@code state=stopped}: no previous owner is running;</li>
 * <li>the read does not return in time: the MDS is waiting for the previous owner's client to give up its caps on
 *     the file and it does not answer. A live libcephfs client answers cap revocations from its own threads in
 *     ~10 ms (measured), whatever its JVM is doing, so the owner is dead;</li>
 * <li>the read returns: read again {@code 2.5 x interval} later; a heartbeat that advanced means a live owner, and
 *     the start fails with {@link NodeIdConflictException} without touching any session; an unchanged one means a
 *     dead owner whose caps were already released.</li>
 * </ul>
 * A crashed owner that ran on this machine is proven dead faster: the probe also reads the owner record, which names
 * the lease holder's process ({@link OwnerProcess}); when that process no longer runs here, the first read is given
 * only {@value #PROVEN_GONE_GRACE_MILLIS} ms (time to tell a clean stop or a takeover) and there is no second read.
 * Cost at start: nothing after a clean stop; ~{@value #PROVEN_GONE_GRACE_MILLIS} ms after a crash on this machine;
 * at most {@code 2 x interval} (500 ms by default) after a crash elsewhere whose caps are still held,
 * {@code 2.5 x interval} (625 ms) when they are not. The bound keeps a wide margin over the
 * ~10 ms a live client needs to answer a revoke; a larger interval buys more margin at the price of a slower start. Two servers starting at the very same moment
 * with no lease yet are not detected (neither has a heartbeat); a running one always is.
 *
 * <p>Each node has a directory of its own, created by the short-lived probe client (which then unmounts cleanly):
 * the lease session itself never creates anything. It does hold caps on the lease root, like every client that walks
 * a path through it: a crashed node's dead session blocks creates there (a new node's first start) until a peer takes
 * it over, it restarts, or its session times out; the create is bounded ({@link LeaseRootBlockedException}).
 */
public final class OwnerLease implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OwnerLease.class.getName());
    public static final String DIRECTORY = "/.cephfs-jca";
    /** Floor of the probe read's bound, whatever the interval: 30x what a live client needs to answer a revoke. */
    static final long MIN_READ_BOUND_MILLIS = 300;

    private final SessionOpener opener;
    private final SessionUuids uuids;
    private final long intervalMillis;
    private final String nodeDirectory;
    private final String path;
    private final String ownerPath;
    /**
     * The owner record was read, so the node's files exist: hold() does not open them through the probe again. The
     * probe's lease read may still be in flight then (a crashed owner's caps held it up until the reset), and another
     * open of the lease file beside it stalled the start 0.9-2.9 s (measured, 3 in 26 starts).
     */
    private volatile boolean filesThere;
    /**
     * When the owner's process is proven gone, how long the lease read still may take to tell a clean stop or a
     * takeover (a live peer's caps answer in ~10 ms); a read a dead owner's caps hold up is not waited for further.
     */
    static final long PROVEN_GONE_GRACE_MILLIS = 150;
    private volatile CephMount probe;
    private volatile Thread probeCloser;
    private final String instance = UUID.randomUUID().toString();
    private volatile CephMount session;
    private volatile CephFile file;
    private volatile ScheduledExecutorService heartbeat;
    private volatile boolean lost;
    private long seq;
    private final int slots;
    private volatile String takenOverBy;

    /** What the heartbeat tells its owner (the node's fencing). */
    public interface Renewals {
        /** A heartbeat that started at {@code startedAt} (System.nanoTime) reached the OSDs (written and fsynced). */
        void renewed(long startedAt);

        /** The lease session is gone (evicted, blocklisted): peers or another server reset this node's sessions. */
        void lost(Exception cause);
    }

    private static final Renewals IGNORED = new Renewals() {
        @Override
        public void renewed(long startedAt) {
        }

        @Override
        public void lost(Exception cause) {
        }
    };

    private final Renewals renewals;
    /** What the log says of failing beats: once per cause, then once a minute (heartbeat thread only). */
    private final BeatFailures beatFailures;
    private final long takeoverAfterMillis;
    private final java.util.concurrent.atomic.AtomicBoolean renewalPending = new java.util.concurrent.atomic.AtomicBoolean();

    public OwnerLease(SessionOpener opener, SessionUuids uuids, long intervalMillis) {
        this(opener, uuids, intervalMillis, IGNORED);
    }

    /** @param renewals told about each heartbeat that reached the OSDs, and about the loss of the lease session */
    public OwnerLease(SessionOpener opener, SessionUuids uuids, long intervalMillis, Renewals renewals) {
        this.opener = opener;
        this.uuids = uuids;
        this.intervalMillis = intervalMillis;
        this.renewals = renewals;
        this.beatFailures = new BeatFailures(uuids.nodeId(), LOG::warning, LOG::info);
        this.slots = opener.config().sessionSlots();
        this.takeoverAfterMillis = opener.config().takeoverAfterMillis();
        this.nodeDirectory = directoryOf(uuids.prefix(), uuids.nodeId());
        this.path = nodeDirectory + "/lease";
        this.ownerPath = ownerPath(nodeDirectory);
    }

    /** The record of the process that holds the node's lease ({@link OwnerProcess}). */
    public static String ownerPath(String nodeDirectory) {
        return nodeDirectory + "/owner";
    }

    /** The lease directory of node {@code nodeId} in the cluster of {@code prefix}. */
    public static String directoryOf(String prefix, String nodeId) {
        return DIRECTORY + "/" + prefix + "-" + nodeId;
    }

    /** The lease file of a node directory. */
    public static String leasePath(String nodeDirectory) {
        return nodeDirectory + "/lease";
    }

    /** The file peers flock to take a dead node over (see org.cephfsjca.adapter.cluster). */
    public static String takeoverPath(String nodeDirectory) {
        return nodeDirectory + "/takeover";
    }

    private String takeoverPath() {
        return takeoverPath(nodeDirectory);
    }

    /**
     * The probe's uuid. The probe creates this node's lease directory in the shared lease root: a node that dies
     * before the probe is unmounted leaves a session with caps on that root, which would block every other node's
     * listing and start until it timed out. With a uuid, the next start (here) and a peer's takeover reset it.
     */
    public static String probeUuid(String leaseUuid) {
        return leaseUuid + "-probe";
    }

    /** The probe client: resets a previous incarnation's probe session, then mounts with the probe uuid. */
    private CephMount mountProbe(Identity identity) throws IOException {
        CephMount initialized = opener.initialized(identity);
        try {
            initialized.resetSession(probeUuid(uuid()));
        } catch (IOException | RuntimeException e) {
            initialized.close();
            throw e;
        }
        return opener.mount(initialized, probeUuid(uuid()));
    }

    /** A probe mount still under way after the owner check gave up waiting for it (clientreplay); hold() takes it. */
    private volatile Future<CephMount> pendingProbe;
    private static final long PROBE_PATIENCE_MILLIS = 2_000;

    /**
     * Mounts the probe. If the mount takes longer than {@value #PROBE_PATIENCE_MILLIS} ms and an MDS rank is in
     * up:clientreplay, returns null and leaves the mount running ({@link #pendingProbe}): the MDS waits for the very
     * sessions this start is about to reset, so the owner check cannot run, and waiting would keep the whole file
     * system down until they time out.
     */
    private CephMount awaitProbe(Identity identity) throws IOException {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cephfs-jca-lease-probe-mount-" + uuids.nodeId());
            t.setDaemon(true);
            return t;
        });
        Future<CephMount> f = ex.submit(() -> mountProbe(identity));
        ex.shutdown();
        try {
            try {
                return f.get(PROBE_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                // ask the monitors while the mount goes on: whichever answers first decides (the mount's own timeout
                // still bounds the start when the monitors are absent too)
                java.util.concurrent.CompletableFuture<Boolean> replay = java.util.concurrent.CompletableFuture
                        .supplyAsync(() -> MdsState.inClientReplay(opener.config(), identity), r -> {
                            Thread t = new Thread(r, "cephfs-jca-mds-state-" + uuids.nodeId());
                            t.setDaemon(true);
                            t.start();
                        });
                while (!f.isDone()) {
                    if (replay.isDone() && replay.join()) {
                        pendingProbe = f;
                        LOG.warning(() -> "cephfs-jca: node " + uuids.nodeId() + ": an MDS rank is up:clientreplay; "
                                + "resetting this node's sessions without the owner check so that it can finish");
                        return null;
                    }
                    Thread.sleep(50);
                }
                return f.get();
            }
        } catch (ExecutionException e) {
            throw causeOf(e, "probe mount of node " + uuids.nodeId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mounting the lease probe of node " + uuids.nodeId(), e);
        }
    }

    /** What a task on a helper thread threw, to rethrow as is (an IOException or a RuntimeException). */
    private static IOException causeOf(ExecutionException e, String what) {
        Throwable c = e.getCause();
        if (c instanceof IOException) {
            return (IOException) c;
        }
        if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
        }
        return new IOException(what + " failed: " + c, c);
    }

    /** The probe for hold(): the one the owner check mounted, or the pending one, or a new one. */
    private CephMount probeForHold(Identity identity) throws IOException {
        if (probe != null) {
            return probe;
        }
        Future<CephMount> f = pendingProbe;
        pendingProbe = null;
        if (f != null) {
            try {
                return f.get(); // bounded by the mount timeout; the resets just let the MDS finish clientreplay
            } catch (ExecutionException e) {
                LOG.fine(() -> "cephfs-jca: the pending probe mount failed (" + e.getCause() + "); mounting again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while mounting the lease probe of node " + uuids.nodeId(), e);
            }
        }
        return mountProbe(identity);
    }

    /** A lease read that the process proof did not wait for (see checkPreviousOwner); lateFinding() awaits it. */
    private volatile Future<LeaseRecord> pendingLeaseRead;
    private volatile long pendingLeaseBound;

    /**
     * After the resets: what the lease read the process proof did not wait for says, when it says more than that
     * the owner died: that a peer took the node over (sets {@link #takenOverBy()}). Waits at most the read bound: the
     * reset of the lease uuid has let a read held up by the dead owner's caps through by now. Null otherwise.
     */
    public String lateFinding() {
        Future<LeaseRecord> f = pendingLeaseRead;
        pendingLeaseRead = null;
        if (f == null) {
            return null;
        }
        try {
            LeaseRecord r = LeaseRecord.await(f, pendingLeaseBound);
            if (r != null && r.takenOver()) {
                takenOverBy = r.field("by");
                return "the lease says it was taken over by node " + r.field("by") + " at " + r.field("at")
                        + ", which reset its sessions";
            }
        } catch (IOException e) {
            LOG.fine(() -> "cephfs-jca: the late lease read of node " + uuids.nodeId() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** The node that took this node over while it was dead, as found at start; null if none. */
    public String takenOverBy() {
        return takenOverBy;
    }

    /** The mounted lease session (reads of peers' leases go through it, so a takeover of this node resets them). */
    public CephMount session() {
        return session;
    }

    /** This node's lease instance (a random id per start). */
    public String instance() {
        return instance;
    }

    /** The session uuid the lease is held under; recovery resets it with the slot uuids. */
    public String uuid() {
        return uuids.lease();
    }

    public boolean enabled() {
        return intervalMillis > 0;
    }

    /**
     * Decides whether the previous owner of the node id is gone. Returns a one-line verdict for the recovery report.
     *
     * @throws NodeIdConflictException when a live adapter holds the node id
     */
    public String checkPreviousOwner(Identity identity) throws IOException {
        return checkPreviousOwner(identity, () -> { });
    }

    /**
     * As {@link #checkPreviousOwner(Identity)}; {@code whileWaiting} runs once the probe client is mounted, before the
     * (mostly idle) bounded reads, so that work such as initializing the reset clients overlaps the wait without
     * delaying the probe's own mount. It also runs when the check is disabled.
     */
    public String checkPreviousOwner(Identity identity, Runnable whileWaiting) throws IOException {
        return checkPreviousOwner(identity, mdsAnswered -> whileWaiting.run());
    }

    /**
     * As {@link #checkPreviousOwner(Identity, Runnable)}; {@code whileWaiting} is told whether the probe mounted,
     * that is whether an MDS answered (false: the check is off, or an MDS rank is in clientreplay).
     */
    public String checkPreviousOwner(Identity identity, java.util.function.Consumer<Boolean> whileWaiting)
            throws IOException {
        if (!enabled()) {
            whileWaiting.accept(false);
            return "owner check disabled (leaseIntervalMillis=0)";
        }
        long bound = Math.max(MIN_READ_BOUND_MILLIS, 2 * intervalMillis);
        CephMount probe = awaitProbe(identity);
        if (probe == null) {
            whileWaiting.accept(false);
            return "owner check skipped: an MDS rank is up:clientreplay, waiting for the sessions of dead clients to be "
                    + "reclaimed, and no client can mount until they are reset (a live previous owner would have "
                    + "reconnected, and a reset of it would fence it)";
        }
        this.probe = probe; // hold() uses it to create the lease file once the old sessions are reset
        whileWaiting.accept(true);
        ExecutorService reader = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cephfs-jca-lease-probe-" + uuids.nodeId());
            t.setDaemon(true);
            return t;
        });
        try {
            long t0 = System.nanoTime();
            Future<LeaseRecord> firstRead = reader.submit(() -> LeaseRecord.read(probe, path));
            OwnerProcess gone = provenGone(reader, probe, bound);
            long patience = gone != null ? PROVEN_GONE_GRACE_MILLIS
                    : bound - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LeaseRecord first = LeaseRecord.await(firstRead, patience);
            long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            String goneNote = gone == null ? null : "previous owner dead: its process (" + gone + ") no longer runs "
                    + "on this machine";
            if (first == LeaseRecord.UNANSWERED) {
                if (gone != null) {
                    // proven dead: the resets need not wait for it; the read, once the reset of the lease uuid lets
                    // it through (or a takeover marker that merely came late), still tells a takeover (lateFinding)
                    pendingLeaseRead = firstRead;
                    pendingLeaseBound = bound;
                    return goneNote + " (lease read not answered within " + patience + " ms)";
                }
                return "previous owner unresponsive (lease read not answered within " + bound + " ms): dead";
            }
            if (first == null) {
                return "no previous owner";
            }
            if (first.stopped()) {
                return "previous owner stopped cleanly (instance " + first.field("instance") + ")";
            }
            if (first.takenOver()) {
                takenOverBy = first.field("by");
                return "previous owner (instance " + first.field("instance") + ") died and was taken over by node "
                        + first.field("by") + " at " + first.field("at") + ", which reset its sessions";
            }
            if (gone != null) {
                return goneNote + " (heartbeat " + first.field("seq") + ")";
            }
            long wait = (5 * intervalMillis) / 2 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (wait > 0) {
                Thread.sleep(wait);
            }
            LeaseRecord second = LeaseRecord.readBounded(reader, probe, path, bound);
            if (second == LeaseRecord.UNANSWERED) {
                return "previous owner stopped answering (lease read not answered within " + bound + " ms): dead";
            }
            if (second != null && !second.takenOver() && !second.sameBeat(first)) {
                throw new NodeIdConflictException("node id " + uuids.nodeId() + " is in use by a live cephfs-jca adapter"
                        + " (instance " + second.field("instance") + " on host " + second.field("host") + ", pid "
                        + second.field("pid") + ", running since " + second.field("since") + "; its heartbeat in "
                        + path + " advanced from " + first.field("seq") + " to " + second.field("seq")
                        + "; the lease read was answered in " + answeredMillis + " ms). Two servers must not share a node id: set a unique nodeId. No session was touched.");
            }
            return "previous owner dead (heartbeat " + first.field("seq") + " unchanged for " + (5 * intervalMillis / 2)
                    + " ms)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the previous owner of node id " + uuids.nodeId(), e);
        } catch (IOException | RuntimeException e) {
            closeProbe();
            throw e;
        } finally {
            reader.shutdown();
        }
    }

    /**
     * The owner record's process, when it is proven gone (same machine, pid namespace and user; see
     * {@link OwnerProcess}); null when it may run or this process cannot tell. Bounded like the lease read.
     */
    private OwnerProcess provenGone(ExecutorService reader, CephMount probe, long bound) throws InterruptedException {
        Future<OwnerProcess> f = reader.submit(() -> OwnerProcess.read(probe, ownerPath));
        try {
            OwnerProcess p = f.get(bound, TimeUnit.MILLISECONDS);
            filesThere = p != null; // written after the lease and takeover files
            return p != null && p.judge() == OwnerProcess.Verdict.GONE ? p : null;
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "cephfs-jca: owner record " + ownerPath + " not read (" + e + "); the lease decides");
            return null;
        }
    }

    private void closeProbe() {
        CephMount p = probe;
        probe = null;
        if (p != null) {
            p.close(); // deferred by the binding until a read still blocked in libcephfs returns
        }
    }

    /**
     * Closes the probe on a thread of its own: ceph_unmount often takes a whole second (the client's tick), which a
     * start after a crash must not wait for. {@link #close()} waits for it, so a stop never leaves the probe's session.
     */
    private void closeProbeLater() {
        CephMount p = probe;
        probe = null;
        if (p != null) {
            Thread t = new Thread(p::close, "cephfs-jca-lease-probe-close-" + uuids.nodeId());
            t.setDaemon(true);
            probeCloser = t;
            t.start();
        }
    }

    /** Mounts the lease session (its uuid was reset by recovery) and starts the heartbeat. */
    public void hold(Identity identity) throws IOException {
        hold(identity, new StartTimings());
    }

    /** As {@link #hold(Identity)}, marking its steps in {@code timings}. */
    public void hold(Identity identity, StartTimings timings) throws IOException {
        if (!enabled()) {
            return;
        }
        CephMount m;
        try {
            CephMount p = probeForHold(identity);
            probe = p;
            if (!filesThere) {
                createFiles(p, timings);
                timings.mark("takeover file there");
            }
            recordOwner(p);
            timings.mark("owner recorded");
            m = opener.mount(opener.initialized(identity), uuid());
            timings.mark("lease session mounted");
            try {
                CephFile f;
                try {
                    f = m.open(path, O_RDWR, 0);
                } catch (NoSuchFileException e) {
                    // a peer's garbage collection of this (old, stopped) node's directory ran just now: once more
                    createFiles(p);
                    f = m.open(path, O_RDWR, 0);
                }
                timings.mark("lease opened");
                session = m;
                file = f;
                long t0 = System.nanoTime();
                write("running");
                f.fsync(true);
                renewals.renewed(t0);
            } catch (IOException | RuntimeException e) {
                m.close();
                throw e;
            }
        } finally {
            closeProbeLater();
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cephfs-jca-lease-" + uuids.nodeId());
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        heartbeat = s;
    }

    /**
     * The node's directory, lease file and takeover file, created by the probe. Peers arbitrate a takeover of this
     * node by an flock on the takeover file: created here, so that a survivor never has to create anything in a
     * directory whose dead owner may hold caps on it.
     */
    private void createFiles(CephMount p) throws IOException {
        createFiles(p, new StartTimings());
    }

    /**
     * As {@link #createFilesNow}, bounded by the mount timeout. The node directory is created in the lease root,
     * which every node's lease session has caps on (Fs: a path walk through a directory is enough to be issued it).
     * The MDS must revoke them from every holder before the create, and a node that died holding them answers only
     * when its session goes stale: up to its session timeout (300 s by default) unless a surviving peer takes it over
     * or it restarts (measured: a new node's start waited 5 minutes on a SIGKILLed node with takeover off). The call
     * goes on in the background; the probe's close waits for it.
     */
    private void createFiles(CephMount p, StartTimings timings) throws IOException {
        int boundSeconds = opener.config().mountTimeoutSeconds();
        ExecutorService creator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cephfs-jca-lease-create-" + uuids.nodeId());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> f = creator.submit(() -> {
                createFilesNow(p, timings);
                return null;
            });
            f.get(boundSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new LeaseRootBlockedException(nodeDirectory, boundSeconds);
        } catch (ExecutionException e) {
            throw causeOf(e, "creating " + nodeDirectory);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + nodeDirectory, e);
        } finally {
            creator.shutdown();
        }
    }

    private void createFilesNow(CephMount p, StartTimings timings) throws IOException {
        p.mkdirs(nodeDirectory, 0755);
        timings.mark("node directory there");
        // read-only: the probe must not ask for write caps on a file the lease session opens for writing next; a
        // client that still holds them after its close gives them up only on an MDS tick (up to 5 s of start)
        p.open(path, O_CREAT | O_RDONLY, 0644).close();
        timings.mark("lease file there");
        p.open(takeoverPath(), O_CREAT | O_RDONLY, 0644).close();
    }

    /**
     * Names this process as the lease's holder, before the lease is held. Where this process cannot name itself, an
     * older record goes: it would name a process that no longer holds the lease.
     */
    private void recordOwner(CephMount p) throws IOException {
        OwnerProcess self = OwnerProcess.current();
        if (self != null) {
            self.write(p, ownerPath);
        } else {
            try {
                p.unlink(ownerPath);
            } catch (NoSuchFileException e) {
                // none
            }
        }
    }

    /** Asks for a heartbeat now (self-fencing waits for it); at most one such request is queued. Never blocks. */
    public void renewNow() {
        ScheduledExecutorService s = heartbeat;
        if (s != null && !lost && renewalPending.compareAndSet(false, true)) {
            try {
                s.execute(() -> {
                    renewalPending.set(false);
                    beat();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                renewalPending.set(false); // stopping
            }
        }
    }

    /** True once the heartbeat failed because this node's lease session was evicted: another server took over. */
    public boolean lost() {
        return lost;
    }

    /** Clean stop: marks the lease stopped (so the next start need not wait) and closes its session. */
    @Override
    public void close() {
        Future<CephMount> pending = pendingProbe;
        pendingProbe = null;
        if (pending != null) { // a start that failed while the probe still mounted: unmount it once it is up
            Thread t = new Thread(() -> {
                try {
                    pending.get().close();
                } catch (Exception e) {
                    // it never mounted
                }
            }, "cephfs-jca-lease-probe-close-" + uuids.nodeId());
            t.setDaemon(true);
            t.start();
        }
        closeProbe();
        Thread closer = probeCloser;
        if (closer != null) {
            try {
                closer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ScheduledExecutorService s = heartbeat;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CephFile f = file;
        CephMount m = session;
        try {
            if (f != null && !lost) {
                write("stopped");
                f.fsync(false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: could not mark the lease of node " + uuids.nodeId() + " stopped", e);
        } finally {
            if (f != null) {
                f.close();
            }
            if (m != null) {
                m.close();
            }
        }
    }

    /**
     * One heartbeat: the record rewritten and fsynced (data only: the OSDs, not the MDS). Only a beat that reached the
     * OSDs renews the lease: a blocklisted client's cached write can still succeed, its fsync cannot.
     */
    private void beat() {
        if (lost) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            write("running");
            file.fsync(true);
            renewals.renewed(t0);
            beatFailures.succeeded(System.nanoTime());
        } catch (IOException | RuntimeException e) {
            if (FatalErrors.isFatal(e)) {
                lost = true;
                heartbeat.shutdown();
                renewals.lost(e);
            } else if (beatFailures.failed(e.getMessage() != null ? e.getMessage() : e.toString(), System.nanoTime())) {
                LOG.log(Level.FINE, "cephfs-jca: lease heartbeat failure of node " + uuids.nodeId(), e);
            }
        }
    }

    private synchronized void write(String state) throws IOException {
        // takeover= is this node's takeover bound: peers wait at least that long (its self-fencing is shorter);
        // the host comes last and is cut to fit the fixed-size record
        String host = hostName();
        String text = "cephfs-jca-lease v1 state=" + state + " seq=" + (seq++) + " instance=" + instance + " prefix="
                + uuids.prefix() + " slots="
                + slots + " takeover=" + takeoverAfterMillis + " pid=" + ProcessHandle.current().pid() + " since="
                + STARTED + " host=" + (host.length() > 64 ? host.substring(0, 64) : host);
        file.write(ByteBuffer.wrap(LeaseRecord.encode(text)), 0);
    }

    private static final Instant STARTED = Instant.now();

    private static String hostName() {
        String h = NodeIds.hostName();
        return h == null || h.isBlank() ? "unknown" : NodeIds.sanitize(h);
    }
}
