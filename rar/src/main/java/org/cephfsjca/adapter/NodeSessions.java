package org.cephfsjca.adapter;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ResourceAllocationException;

import org.cephfsjca.adapter.cluster.PeerWatch;
import org.cephfsjca.adapter.cluster.Takeover;
import org.cephfsjca.adapter.cluster.TakeoverRecord;
import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.fencing.LeaseGate;
import org.cephfsjca.adapter.fencing.NodeFencing;
import org.cephfsjca.adapter.lock.HeldLocks;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.adapter.recovery.SessionRecovery;
import org.cephfsjca.adapter.recovery.StartRecovery;
import org.cephfsjca.adapter.recovery.StartTimings;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.adapter.session.SharedSession;
import org.cephfsjca.adapter.session.SharedSessions;
import org.cephfsjca.adapter.session.SlotRegistry;
import org.cephfsjca.adapter.stats.NodeView;
import org.cephfsjca.adapter.watchdog.Watchdog;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SessionStatus;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Everything one started adapter knows about this node's sessions: configuration, slot uuids, the recovery report,
 * the shared sessions and the live managed connections on them (so that stop can unmount them all). Pooled
 * connections are cheap: all those of one identity share one libcephfs session ({@link SharedSession}). Created by {@link CephResourceAdapter#start}.
 */
final class NodeSessions implements NodeView {

    private static final Logger LOG = Logger.getLogger(NodeSessions.class.getName());
    /** How long a slot whose uuid a stale session still holds (mode NONE) is skipped before being tried again. */
    private static final long STALE_SLOT_RETRY_NANOS = 30_000_000_000L;

    private final AdapterConfig config;
    private final SessionUuids uuids;
    private final SlotRegistry slots;
    private final SessionOpener opener;
    private final SessionRecovery recovery;
    /** Replaced when the node rejoins after being fenced. */
    private volatile OwnerLease lease;
    private final LeaseGate gate;
    private final NodeFencing fencing;
    private final Identity defaultIdentity;
    private final SharedSessions sessions = new SharedSessions(this::openSession);
    private final HeldLocks heldLocks = new HeldLocks(this::retireQuietly);
    private final Set<CephManagedConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final long[] staleUntil;
    private final LeakDetector leaks;
    /** What a refused getConnection names (built once: checkServing runs on every checkout). */
    private final String gateSubject;
    private volatile RecoveryReport lastRecovery;
    private volatile PeerWatch peerWatch;
    private volatile boolean stopped;
    private volatile Watchdog watchdog;
    /** Takeovers done by peer watches that were closed since (a fenced node's watch is replaced at rejoin). */
    private final AtomicLong takeoversOfClosedWatches = new AtomicLong();
    /** The start found that a peer had taken the previous incarnation of this node over. */
    private volatile boolean takenOverAtStart;

    NodeSessions(AdapterConfig config) {
        this.config = config;
        this.slots = new SlotRegistry(config.sessionSlots(), config.nodeId());
        this.opener = new SessionOpener(config);
        this.uuids = opener.uuids();
        this.recovery = new SessionRecovery(opener, uuids);
        long interval = config.leaseIntervalMillis();
        this.gate = new LeaseGate(config.nodeId(), config.selfFenceAfterMillis(), Math.max(300, 2 * interval),
                () -> lease.renewNow());
        this.fencing = new NodeFencing(config.nodeId(), gate, Math.max(1_000, 4 * interval));
        this.lease = new OwnerLease(opener, uuids, interval, fencing);
        this.defaultIdentity = new Identity(config.user(), config.key());
        this.staleUntil = new long[config.sessionSlots()];
        this.leaks = new LeakDetector(config.nodeId(), config.leakStackTraces());
        this.gateSubject = "node " + config.nodeId();
    }

    /**
     * Start: prove the previous owner of the node id dead (else fail without touching any session), reset its
     * sessions (slots and lease), then hold the lease. Must run before any session is opened.
     */
    RecoveryReport start() throws IOException {
        if (config.operationTimeoutSeconds() > 0) {
            watchdog = Watchdog.start(config, defaultIdentity, this::fenced);
            opener.watchWith(watchdog);
        }
        try {
            return startWatched();
        } catch (IOException | RuntimeException e) {
            if (watchdog != null) {
                watchdog.close();
            }
            throw e;
        }
    }

    private RecoveryReport startWatched() throws IOException {
        lastRecovery = establish(lease, null);
        takenOverAtStart = lease.takenOverBy() != null;
        leaks.start();
        fencing.attach(new NodeFencing.Node() {
            @Override
            public void discardSessions(String reason) {
                discardFenced(reason);
            }

            @Override
            public RecoveryReport rejoin(String fencedBecause) throws IOException {
                return rejoinAfterFencing(fencedBecause);
            }
        });
        return lastRecovery;
    }

    /**
     * What a start does, and a rejoin after fencing again: prove the previous owner of the node id dead, reset what it
     * left (slots and lease), hold the lease {@code l}, watch the peers.
     *
     * @param rejoinNote null at start; why the node was fenced, when it rejoins
     */
    private RecoveryReport establish(OwnerLease l, String rejoinNote) throws IOException {
        StartTimings timings = new StartTimings();
        RecoveryReport report = StartRecovery.checkAndReset(l, recovery, defaultIdentity, rejoinNote, timings);
        try {
            l.hold(defaultIdentity, timings);
            timings.mark("lease held");
            opener.unwatchLeaseSession();
            lease = l;
            startPeerWatch();
            timings.mark("peers watched");
            LOG.fine(() -> "cephfs-jca: " + (rejoinNote == null ? "start" : "rejoin") + " of node " + config.nodeId()
                    + ": " + timings);
        } catch (IOException | RuntimeException e) {
            // also closes the owner probe's mount: left open, its caps on the lease directory (and on "/") would
            // block other clients' creates there until the MDS times the session out
            l.close();
            throw e;
        }
        return report;
    }

    /** The node was fenced: its sessions are blocklisted. None is used again; they close now (off this thread). */
    private void discardFenced(String reason) {
        PeerWatch w = peerWatch;
        peerWatch = null;
        if (w != null) {
            takeoversOfClosedWatches.addAndGet(w.takeoversDone().size());
            Thread t = new Thread(w::close, "cephfs-jca-fenced-watch-close-" + config.nodeId());
            t.setDaemon(true);
            t.start();
        }
        heldLocks.closeAll();
        for (SharedSession s : sessions.openSessions()) {
            s.mount().markFenced("node " + config.nodeId() + " was fenced: " + reason);
            sessions.retire(s);
            Thread t = new Thread(s::closeNow, "cephfs-jca-fenced-close-" + s.slot());
            t.setDaemon(true);
            t.start();
        }
        OwnerLease old = lease;
        Thread t = new Thread(old::close, "cephfs-jca-fenced-lease-close-" + config.nodeId());
        t.setDaemon(true);
        t.start();
    }

    /** Rejoin after fencing: a new lease, as at start. */
    private RecoveryReport rejoinAfterFencing(String fencedBecause) throws IOException {
        if (stopped) {
            throw new IOException("the adapter of node " + config.nodeId() + " is stopping");
        }
        OwnerLease next = new OwnerLease(opener, uuids, config.leaseIntervalMillis(), fencing);
        RecoveryReport r = establish(next, fencedBecause);
        lastRecovery = r;
        return r;
    }

    /** Cluster takeover (see PeerWatch): needs the lease, and RESET (a takeover resets the peer's sessions). */
    private void startPeerWatch() {
        if (!lease.enabled() || config.takeoverAfterMillis() == 0 || recovery.effectiveMode() == RecoveryMode.NONE) {
            return;
        }
        org.cephfsjca.adapter.cluster.LeaseObjects objects;
        try {
            objects = org.cephfsjca.adapter.cluster.LeaseObjects.connect(config, defaultIdentity, lease.session());
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warning(() -> "cephfs-jca: node " + config.nodeId() + " cannot read its peers' leases from RADOS ("
                    + e.getMessage() + "): cluster takeover is off on this node");
            return;
        }
        PeerWatch w = new PeerWatch(lease.session(), this::listOnce, config.uuidPrefix(), config.nodeId(),
                config.leaseIntervalMillis(), config.takeoverAfterMillis(),
                new Takeover(opener, defaultIdentity, uuids, config.leaseIntervalMillis()),
                config.leaseRetentionSeconds(), objects, () -> !gate.refusing());
        w.start();
        peerWatch = w;
    }

    /**
     * Lists the lease root through the lease session: a listing leaves the lister with caps on that directory, and
     * the lease session is the one a takeover of this node (or its restart) resets. A short-lived anonymous client
     * was tried and is worse: killed while mounted, it held the caps for the whole session timeout, and nothing
     * could reset it (every start's mkdir in the lease root waited).
     */
    private List<org.cephfsjca.api.DirEntry> listOnce(String directory) throws IOException {
        return lease.session().list(directory);
    }

    /** Takeovers of dead peers this node did since it started. */
    List<TakeoverRecord> takeoversDone() {
        PeerWatch w = peerWatch;
        return w == null ? List.of() : w.takeoversDone();
    }

    /** The node that took this node over while it was dead (found at start), or null. */
    String takenOverBy() {
        return lease.takenOverBy();
    }

    /**
     * A new pooled connection on the identity's shared session (opened on first demand, see {@link SharedSessions}).
     * No lock is held while talking to the cluster.
     */
    CephManagedConnection open(CephManagedConnectionFactory mcf, Identity identity) throws ResourceException {
        checkServing();
        SharedSession session = sessions.acquire(identity);
        CephManagedConnection mc = new CephManagedConnection(mcf, this, session, connectionIds.incrementAndGet());
        live.add(mc);
        if (stopped) {
            mc.destroy();
            throw new ResourceException("cephfs-jca adapter for node " + config.nodeId() + " stopped");
        }
        return mc;
    }

    void checkServing() throws ResourceException {
        if (stopped) {
            throw new ResourceException("cephfs-jca adapter for node " + config.nodeId() + " is stopped");
        }
        NodeFencing.State st = fencing.state();
        if (st == NodeFencing.State.CONFLICT) {
            throw new ResourceException("cephfs-jca: node " + config.nodeId() + " was fenced and another live server "
                    + "now holds its node id; this adapter does not serve again (" + fencing.lastFencing() + ")");
        }
        try {
            gate.admit("getConnection", gateSubject); // fenced, or a stale lease (self-fencing)
        } catch (java.nio.file.FileSystemException e) {
            ResourceException re = new ResourceException("cephfs-jca: " + e.getReason());
            re.initCause(e);
            throw re;
        }
    }

    /**
     * Opens a shared session: takes a free slot, resets the slot's uuid (unless mode NONE), mounts with it. Slots
     * whose uuid a stale session still holds are skipped.
     */
    private SharedSession openSession(Identity identity) throws ResourceException {
        checkServing();
        for (;;) {
            int slot = slots.acquire(staleSlots());
            String uuid = uuids.of(slot);
            CephMount mount;
            try {
                CephMount initialized = opener.initialized(identity);
                try {
                    recovery.resetBeforeMount(initialized, slot); // bounded by the binding when watched
                } catch (IOException | RuntimeException e) {
                    initialized.close();
                    throw e;
                }
                mount = opener.mount(initialized, uuid);
                mount.gate(gate); // fenced or self-fenced: its calls stop before they reach libcephfs
            } catch (AccessDeniedException e) {
                slots.release(slot);
                String reason = e.getReason() == null ? "" : e.getReason();
                if (reason.startsWith("ceph_mount") || reason.startsWith("ceph_start_reclaim")) {
                    // a stale session still holds the uuid: "duplicated session uuid" at mount (mode NONE, or its
                    // reset failed), or EPERM at reset (it belongs to another cephx user)
                    markStale(slot);
                    LOG.warning(() -> "cephfs-jca: slot " + slot + " (uuid " + uuid + ") is held by a stale session ("
                            + e.getMessage() + "); trying another slot");
                    continue;
                }
                throw resourceException("cannot open a session for slot " + slot + " (uuid " + uuid + ") as "
                        + identity, e);
            } catch (IOException | RuntimeException e) {
                slots.release(slot);
                throw resourceException("cannot open a session for slot " + slot + " (uuid " + uuid + ") as "
                        + identity, e);
            }
            return new SharedSession(slot, uuid, identity, mount, closed -> {
                sessions.closed(closed);
                slots.release(closed.slot());
            });
        }
    }

    /** A lock held outside the pool, on the default identity's shared session (see CephConnectionFactory#holdLock). */
    CephLock holdLock(String path, LockMode mode, Duration timeout) throws IOException, ResourceException {
        checkServing();
        SharedSession session = sessions.acquire(defaultIdentity);
        try {
            return heldLocks.hold(session, path, mode, timeout);
        } catch (IOException | RuntimeException | Error e) {
            session.release();
            throw e;
        }
    }

    /** The watchdog fenced {@code mount}: if it is a pooled session, no connection gets it again. */
    private void fenced(CephMount mount) {
        SharedSession s = sessions.retireMount(mount);
        if (s != null) {
            LOG.warning(() -> "cephfs-jca: session in slot " + s.slot() + " was fenced (" + mount.fencedReason()
                    + "); it is replaced by a new session for the next connection");
        }
    }

    private void retireQuietly(SharedSession session) {
        if (retire(session)) {
            LOG.warning(() -> "cephfs-jca: session in slot " + session.slot() + " (uuid " + session.uuid()
                    + ") is unusable (a held lock's call failed fatally); its locks are lost and it is replaced");
        }
    }

    /** Locks held outside the pool now. */
    int heldLocks() {
        return heldLocks.count();
    }

    /** A connection is destroyed: it leaves its shared session (which closes once broken and unused). */
    void close(CephManagedConnection mc, SharedSession session) {
        live.remove(mc);
        session.release();
    }

    /**
     * The connection's session is unusable (evicted, blocklisted, a fatal errno): no new connection gets it, the
     * pool replaces the connections on it, and it closes when the last of them is destroyed.
     *
     * @return true for the first caller (who logs it)
     */
    boolean retire(SharedSession session) {
        return sessions.retire(session);
    }

    /** Graceful stop: unmounts every session still open, so no session of this node stays in the MDS. */
    void stop() {
        stopped = true;
        fencing.close();
        PeerWatch w = peerWatch;
        if (w != null) {
            w.close();
        }
        for (CephManagedConnection mc : live) {
            mc.destroyQuietly();
        }
        heldLocks.closeAll();
        sessions.closeAll();
        lease.close();
        Watchdog wd = watchdog;
        if (wd != null) {
            wd.close();
        }
        leaks.close();
        LOG.info(() -> "cephfs-jca: stopped node " + config.nodeId() + "; sessions still open: " + slots.inUse());
    }

    /** The shared sessions open now, live or draining (tests and diagnostics). */
    java.util.List<SharedSession> openSessions() {
        return sessions.openSessions();
    }

    @Override
    public RecoveryReport lastRecovery() {
        return lastRecovery;
    }

    // ----------------------------------------------------------------- NodeView (the statistics)

    @Override
    public long takeoversDoneCount() {
        return takeoversOfClosedWatches.get() + takeoversDone().size();
    }

    @Override
    public long takeoversSuffered() {
        return (takenOverAtStart ? 1 : 0) + fencing.timesFenced();
    }

    @Override
    public long timesFenced() {
        return fencing.timesFenced();
    }

    @Override
    public String servingState() {
        switch (fencing.state()) {
            case FENCED:
                return "fenced";
            case CONFLICT:
                return "conflict";
            case STOPPED:
                return "stopped";
            default:
                return stopped ? "stopped" : gate.refusing() ? "self-fenced" : "serving";
        }
    }

    @Override
    public String leaseState() {
        OwnerLease l = lease;
        if (stopped) {
            return "released";
        }
        if (!l.enabled()) {
            return "off";
        }
        NodeFencing.State st = fencing.state();
        if (st == NodeFencing.State.FENCED || st == NodeFencing.State.CONFLICT || l.lost()) {
            return "lost";
        }
        return gate.refusing() ? "stale" : "held";
    }

    @Override
    public long leaseAgeMillis() {
        return lease.enabled() ? gate.staleMillis() : -1;
    }

    @Override
    public int sessionsOpen() {
        return slots.inUse();
    }

    @Override
    public int sessionSlots() {
        return slots.size();
    }

    @Override
    public int connections() {
        return live.size();
    }

    @Override
    public long connectionsCreated() {
        return connectionIds.get();
    }

    @Override
    public long leakedHandlesReclaimed() {
        return leaks.leaked();
    }

    @Override
    public int locksHeld() {
        return heldLocks.count();
    }

    SessionStatus status() {
        return new SessionStatus(config.nodeId(), config.uuidPrefix(), slots.size(), slots.inUse(), leaks.leaked(),
                live.size(), servingState(), fencing.lastFencing());
    }

    LeakDetector leaks() {
        return leaks;
    }

    AdapterConfig config() {
        return config;
    }

    Identity defaultIdentity() {
        return defaultIdentity;
    }

    private synchronized BitSet staleSlots() {
        BitSet b = new BitSet();
        long now = System.nanoTime();
        for (int i = 0; i < staleUntil.length; i++) {
            if (staleUntil[i] != 0 && staleUntil[i] - now > 0) {
                b.set(i);
            }
        }
        return b;
    }

    private synchronized void markStale(int slot) {
        staleUntil[slot] = System.nanoTime() + STALE_SLOT_RETRY_NANOS;
    }

    private static ResourceException resourceException(String message, Exception cause) {
        ResourceException e = new ResourceException(message + ": " + cause.getMessage(), cause);
        return e;
    }
}
