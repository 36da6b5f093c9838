package org.cephfsjca.adapter.recovery;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.ClusterUnreachableException;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.RecoveryMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SlotOutcome;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The reclaim lifecycle, all of it: what happens to the sessions a crashed previous incarnation of this server left.
 *
 * <ol>
 * <li>At adapter start, before any connection is served, {@link #recoverAll} resets the session of every slot uuid
 *     of this node ({@code ceph_start_reclaim(uuid, CEPH_RECLAIM_RESET)} + {@code ceph_finish_reclaim}), all slots
 *     in parallel (one client each, all on one CephContext; one after another costs ~1 s per stale session, in
 *     parallel they overlap), bounded by {@code recoveryTimeoutSeconds}, and logs one summary line.</li>
 * <li>Each pooled session then resets its own slot's uuid again right before mounting ({@link #resetBeforeMount}):
 *     cheap ({@code ENOENT} in ~4 ms) and it covers sessions that appeared after start or that start could not
 *     reach.</li>
 * </ol>
 * {@code ENOENT} is the normal "nothing to reset". A reset answered {@code EPERM} is checked before it is reported
 * ({@link EvictionCheck}): Ceph 16.2.15 answers EPERM and evicts the session anyway after an MDS restart and when the
 * reset comes from another cephx user, so such a slot is RESET ("EPERM, verified evicted") when a mount with its uuid
 * then succeeds, and FAILED ("EPERM, session still present") when the MDS keeps refusing it.
 * {@link RecoveryMode#NONE} skips both steps;
 * {@link RecoveryMode#RECLAIM} asks for a real reclaim, which Ceph 16 does not implement ({@code EINVAL} or
 * {@code EOPNOTSUPP}): the start then fails, or falls back to RESET when {@code recoveryFallbackToReset} is set.
 */
public final class SessionRecovery {

    private static final Logger LOG = Logger.getLogger(SessionRecovery.class.getName());
    /** A real reclaim: no flags (the MDS only implements CEPH_RECLAIM_RESET). */
    private static final int RECLAIM_KEEP_STATE = 0;
    /**
     * Upper bound on parallel resets (each is a libcephfs client with its own threads). Up to this many, every uuid
     * gets its own thread: a reset queued behind another waits for that one's blocklist OSD map epoch first, and then
     * for its own, a whole monitor propose interval (1 s) later.
     */
    private static final int MAX_PARALLEL = 128;
    /**
     * Time kept back from the recovery deadline when an EPERM reset is checked, for the check's own unmount (~1 s) and
     * its last pause, so that its answer arrives before the deadline (at most a quarter of a short timeout).
     */
    private static final long CHECK_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long the go waits for reset clients still initializing. The monitor batches the blocklist entries that reach
     * it within {@code paxos_min_wait} (50 ms) of an idle second into one OSD map epoch, and then commits at most once
     * per {@code paxos_propose_interval} (1 s): a reset issued after the others waits for the next epoch, about a
     * second more. Waiting for every client to be ready lets all resets land in the first epoch.
     */
    private static final long READY_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final SessionOpener opener;
    private final SessionUuids uuids;
    private final AdapterConfig config;
    /** How many slot uuids to reset: this node's sessionSlots, or a peer's (cluster takeover). */
    private final int slots;
    private volatile RecoveryMode effectiveMode;

    public SessionRecovery(SessionOpener opener, SessionUuids uuids) {
        this(opener, uuids, opener.config().sessionSlots());
    }

    /** Recovery of {@code uuids}' node (this one, or a dead peer taken over) with {@code slots} slots. */
    public SessionRecovery(SessionOpener opener, SessionUuids uuids, int slots) {
        this.opener = opener;
        this.uuids = uuids;
        this.config = opener.config();
        this.slots = slots;
        this.effectiveMode = config.recoveryMode();
    }

    /** The mode in force after start (RECLAIM may have fallen back to RESET). */
    public RecoveryMode effectiveMode() {
        return effectiveMode;
    }

    /**
     * Resets every slot uuid of this node, in parallel, bounded by the recovery timeout.
     *
     * @throws RecoveryFailedException when RECLAIM was asked for, Ceph refuses it, and no fallback is configured
     */
    public RecoveryReport recoverAll(Identity identity, String leaseUuid, String ownerVerdict)
            throws ClusterUnreachableException {
        return recoverAll(prepare(identity, leaseUuid), ownerVerdict);
    }

    /**
     * Phase 1 of the start-time recovery, to run while the owner check decides: creates and initializes one client per
     * uuid to reset, without resetting anything: the first one alone, then the others in parallel on its CephContext
     * (65 clients: ~165 ms of CPU in C, against ~460 ms with a context each). {@link #recoverAll(Prepared, String)}
     * then issues every reset at once, so that they reach the MDS together and their blocklists land in the same OSD
     * map epoch; {@link Prepared#discard()} releases the clients untouched (the owner check found a live owner).
     */
    public Prepared prepare(Identity identity, String leaseUuid) {
        return prepare(identity, leaseUuid, new StartTimings(), false);
    }

    /**
     * As above; {@code timings} gets the moment every client is ready (or the go stopped waiting). With
     * {@code warmUp} (only when an MDS just answered: a client's first call waits without a timeout for an MDS that is
     * not up), each client also opens its MDS session before it is ready, by resetting a random uuid that no session
     * has ({@code ENOENT}, touches nothing; finish_reclaim then lets the client reset again): at the go, each reset
     * is one message, not a session open (a journal write) first, so that all of them reach the monitor within the
     * 50 ms it gathers blocklists into one OSD map epoch. Without it, 64 resets reached it over up to 300 ms and
     * split over two epochs, a second apart.
     */
    public Prepared prepare(Identity identity, String leaseUuid, StartTimings timings, boolean warmUp) {
        List<String> all = new ArrayList<>();
        if (config.recoveryMode() != RecoveryMode.NONE) {
            for (int slot = 0; slot < slots; slot++) {
                all.add(uuids.of(slot));
            }
            all.addAll(uuids.previousUuids(slots)); // a uuidSecret rotation: the previous secret's sessions too
        }
        if (leaseUuid != null) {
            all.add(leaseUuid);
        }
        return new Prepared(identity, all, leaseUuid != null, timings, warmUp);
    }

    /**
     * Phase 2: resets what {@link #prepare} initialized clients for, bounded by the recovery timeout.
     *
     * @throws ClusterUnreachableException when no reset client reached a monitor: a start reporting "0 reset" would
     *         hide a cluster that is down (this is the only cluster contact at start when the owner check is off)
     */
    public RecoveryReport recoverAll(Prepared prepared, String ownerVerdict) throws ClusterUnreachableException {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        RecoveryMode requested = config.recoveryMode();
        List<String> notes = new ArrayList<>();
        if (ownerVerdict != null) {
            notes.add(ownerVerdict);
        }
        long timeout = TimeUnit.SECONDS.toNanos(config.operationTimeoutSeconds() > 0 // bounded like any call
                ? Math.min(config.recoveryTimeoutSeconds(), config.operationTimeoutSeconds() + 2)
                : config.recoveryTimeoutSeconds());
        if (requested == RecoveryMode.RECLAIM) {
            try {
                String note = probeReclaim(prepared.identity);
                if (note != null) {
                    notes.add(note);
                }
            } catch (RuntimeException e) {
                prepared.discard();
                throw e;
            }
        }
        List<SlotOutcome> outcomes = prepared.resetAll(timeout);
        ClusterUnreachableException down = prepared.unreachable.get();
        if (down != null && outcomes.stream().allMatch(o -> o.result() == SlotOutcome.Result.FAILED)) {
            throw down;
        }
        if (prepared.withLease) {
            // the lease session holds no application state; it is reset even with NONE, else the new lease cannot mount
            SlotOutcome l = outcomes.remove(outcomes.size() - 1);
            notes.add("lease session: " + l.result() + (l.errno() == null ? "" : " " + l.errno())
                    + (l.detail() != null && l.detail().startsWith("EPERM") ? " (" + l.detail() + ")" : ""));
        }
        int previous = requested == RecoveryMode.NONE ? 0 : uuids.previousUuids(slots).size();
        if (previous > 0) {
            List<SlotOutcome> old = outcomes.subList(outcomes.size() - previous, outcomes.size());
            notes.add("previous uuidSecret's sessions: " + old.stream().filter(o -> o.result() == SlotOutcome.Result
                    .RESET).count() + " reset, " + old.stream().filter(o -> o.result() == SlotOutcome.Result.FAILED)
                    .count() + " failed");
            old.clear();
        }
        if (requested == RecoveryMode.NONE) {
            List<SlotOutcome> skipped = new ArrayList<>();
            for (int slot = 0; slot < slots; slot++) {
                skipped.add(new SlotOutcome(slot, uuids.of(slot), SlotOutcome.Result.SKIPPED, null,
                        "recovery mode NONE", 0));
            }
            notes.add("recovery mode NONE: stale sessions stay until the MDS times them out");
            return log(new RecoveryReport(RecoveryMode.NONE, requested, uuids.nodeId(), startedAt,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), skipped, String.join("; ", notes)));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return log(new RecoveryReport(effectiveMode, requested, uuids.nodeId(), startedAt, millis, outcomes,
                notes.isEmpty() ? null : String.join("; ", notes)));
    }

    /**
     * Clients being initialized for the resets, one thread each (index = slot number; the lease uuid comes last).
     * Each thread initializes its client, waits for the go, resets, and hands the client to a releasing thread.
     */
    public final class Prepared {
        private final Identity identity;
        private final List<String> uuidList;
        private final boolean withLease;
        private final CountDownLatch go = new CountDownLatch(1);
        /** Counted down by each client once initialized (or failed): the go waits for all, bounded. */
        private final CountDownLatch ready;
        private volatile boolean abandoned;
        private final ExecutorService pool;
        private final List<Future<SlotOutcome>> futures;
        private final AtomicReference<ClusterUnreachableException> unreachable = new AtomicReference<>();
        /** Until which EPERM checks may try (System.nanoTime), set before the go. */
        private volatile long checkDeadline;
        /** Index to what the EPERM check of that uuid saw so far, for a slot whose check the deadline cut short. */
        private final java.util.Map<Integer, String> checking = new java.util.concurrent.ConcurrentHashMap<>();

        private final StartTimings timings;
        private final boolean warmUp;
        /**
         * The first client, initialized alone; every other one shares its CephContext (a third of the CPU, see
         * {@link SessionOpener#initializedForReset(CephMount)}), or fails as it failed: same identity, same cluster.
         */
        private final java.util.concurrent.CompletableFuture<ContextSource> contextSource =
                new java.util.concurrent.CompletableFuture<>();

        private Prepared(Identity identity, List<String> uuidList, boolean withLease, StartTimings timings,
                         boolean warmUp) {
            this.identity = identity;
            this.timings = timings;
            this.warmUp = warmUp;
            this.uuidList = uuidList;
            this.withLease = withLease;
            int n = uuidList.size();
            this.ready = new CountDownLatch(n);
            this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, MAX_PARALLEL)), daemonThreads());
            this.futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int s = i;
                futures.add(pool.submit(() -> resetOne(identity, s, uuidList.get(s), go, () -> abandoned,
                        unreachable, this)));
            }
            pool.shutdown(); // the threads end with their task
        }

        private List<SlotOutcome> resetAll(long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            checkDeadline = deadline - Math.min(CHECK_MARGIN_NANOS, timeoutNanos / 4);
            try {
                boolean all = ready.await(Math.min(READY_PATIENCE_NANOS, timeoutNanos / 4), TimeUnit.NANOSECONDS);
                timings.mark(all ? uuidList.size() + " reset clients ready" : ready.getCount() + " of "
                        + uuidList.size() + " reset clients not ready: go");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // go at once; each reset then reports its own interruption
            }
            go.countDown();
            List<SlotOutcome> outcomes = new ArrayList<>(uuidList.size());
            for (int i = 0; i < uuidList.size(); i++) {
                outcomes.add(await(futures.get(i), i, uuidList.get(i), deadline, timeoutNanos, checking));
            }
            return outcomes;
        }

        /** Releases the clients without resetting anything (a live owner holds the node id). */
        public void discard() {
            abandoned = true;
            go.countDown();
        }

        /** Slot {@code index}'s reset client: the first one with a context of its own, the others on its context. */
        private CephMount newClient(int index) throws IOException, InterruptedException {
            if (index == 0) {
                try {
                    CephMount m = opener.initializedForReset(identity);
                    contextSource.complete(new ContextSource(m, null));
                    return m;
                } catch (IOException | RuntimeException e) {
                    contextSource.complete(new ContextSource(null, e));
                    throw e;
                }
            }
            ContextSource source;
            try {
                source = contextSource.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // never: completed normally only
            }
            if (source.failure() instanceof IOException io) {
                throw io;
            }
            if (source.failure() instanceof RuntimeException re) {
                throw re;
            }
            try {
                return opener.initializedForReset(source.client());
            } catch (IllegalStateException released) {
                // the first client was released already (a go that stopped waiting for this one): a context of its own
                return opener.initializedForReset(identity);
            }
        }
    }

    /** The first reset client (whose context the others share), or why it could not be had. */
    private record ContextSource(CephMount client, Exception failure) {
    }

    /**
     * Before mounting slot {@code slot}'s session on {@code initialized}: resets whatever session still holds the
     * slot's uuid (unless the mode is NONE). Returns true if a stale session was reset.
     */
    public boolean resetBeforeMount(CephMount initialized, int slot) throws IOException {
        if (effectiveMode == RecoveryMode.NONE) {
            return false;
        }
        String uuid = uuids.of(slot);
        boolean reset = initialized.resetSession(uuid);
        if (reset) {
            LOG.info(() -> "cephfs-jca: reset a stale session with uuid " + uuid + " before reusing slot " + slot);
        }
        return reset;
    }

    /** Asks for a real reclaim once; Ceph 16 refuses it. Returns the fallback note, or throws. */
    private String probeReclaim(Identity identity) {
        String uuid = uuids.of(0);
        try (CephMount m = opener.initializedForReset(identity)) {
            int rc = m.startReclaim(uuid, RECLAIM_KEEP_STATE);
            m.finishReclaim();
            if (rc == 0 || rc == -Errno.ENOENT.code()) {
                // The MDS accepted a reclaim: nothing newer than RESET is implemented here, so reset anyway.
                effectiveMode = RecoveryMode.RESET;
                return "the MDS accepted RECLAIM for " + uuid + " (" + (rc == 0 ? "ok" : "ENOENT")
                        + "); this adapter keeps no state to reclaim, so it resets";
            }
        } catch (CephFileSystemException e) {
            Errno errno = e.errno();
            if (errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP) {
                String why = "the MDS does not implement RECLAIM (ceph_start_reclaim answered " + errno.name() + ")";
                if (!config.recoveryFallbackToReset()) {
                    throw new RecoveryFailedException(why + "; set recoveryMode=RESET, or "
                            + "recoveryFallbackToReset=true to fall back automatically");
                }
                effectiveMode = RecoveryMode.RESET;
                return why + "; fell back to RESET";
            }
            throw new RecoveryFailedException("RECLAIM probe for " + uuid + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RecoveryFailedException("RECLAIM probe for " + uuid + " failed: " + e.getMessage(), e);
        }
        effectiveMode = RecoveryMode.RESET;
        return null;
    }

    private SlotOutcome resetOne(Identity identity, int slot, String uuid, CountDownLatch go,
                                 java.util.function.BooleanSupplier abandoned,
                                 AtomicReference<ClusterUnreachableException> unreachable, Prepared prepared) {
        long t0 = System.nanoTime();
        CephMount m = null;
        try {
            try {
                m = prepared.newClient(slot);
                if (prepared.warmUp && !warmedUp(m, uuid)) {
                    releaseLater(m); // it may not reset any more: a fresh client, not warmed up
                    m = null;
                    m = opener.initializedForReset(identity);
                }
            } finally {
                prepared.ready.countDown(); // failed or not: the go must not wait for this one
            }
            go.await();
            if (abandoned.getAsBoolean()) {
                return new SlotOutcome(slot, uuid, SlotOutcome.Result.SKIPPED, null, "start abandoned", 0);
            }
            t0 = System.nanoTime();
            boolean reset = m.resetSession(uuid);
            return new SlotOutcome(slot, uuid, reset ? SlotOutcome.Result.RESET : SlotOutcome.Result.NOT_FOUND,
                    null, null, elapsedMillis(t0));
        } catch (ClusterUnreachableException e) {
            unreachable.compareAndSet(null, e);
            return failed(slot, uuid, Errno.ETIMEDOUT.name(), e.getMessage(), t0);
        } catch (CephFileSystemException e) {
            if (e.errno() == Errno.EPERM) {
                return checkEperm(identity, slot, uuid, e.getMessage(), t0, abandoned, prepared);
            }
            return failed(slot, uuid, e.errno().name(), e.getMessage(), t0);
        } catch (java.nio.file.AccessDeniedException e) {
            return checkEperm(identity, slot, uuid, e.getMessage(), t0, abandoned, prepared);
        } catch (java.nio.file.FileSystemException e) {
            return failed(slot, uuid, errnoName(e), e.getMessage(), t0);
        } catch (IOException | RuntimeException e) {
            return failed(slot, uuid, "EIO", e.toString(), t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(slot, uuid, Errno.EINTR.name(), "interrupted", t0);
        } finally {
            if (m != null) {
                releaseLater(m);
            }
        }
    }

    /**
     * Opens the client's MDS session ahead of the go (see {@link #prepare}). False when the client can no longer
     * reset: the warm-up failed (or its random uuid found a session).
     */
    private static boolean warmedUp(CephMount m, String uuid) {
        try {
            if (m.warmUpReset()) {
                LOG.warning(() -> "cephfs-jca: the warm-up of the reset client for " + uuid + " found a session with "
                        + "its random uuid");
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "cephfs-jca: warm-up of the reset client for " + uuid + " failed (" + e + ")");
            return false;
        }
    }

    /**
     * A reset answered EPERM: Ceph 16.2.15 does so and evicts the session anyway after an MDS restart (sessions
     * replayed from the journal lose their auth name, so the owner's own user is refused too) and when the reset comes
     * from another cephx user. {@link EvictionCheck} finds out which it was, within the recovery deadline; the caller
     * of {@link #recoverAll} is never held past it (a check cut short is reported by {@link #await}).
     */
    private SlotOutcome checkEperm(Identity identity, int slot, String uuid, String resetMessage, long t0,
                                   java.util.function.BooleanSupplier abandoned, Prepared prepared) {
        prepared.checking.put(slot, "the check (mounts with the uuid) had not answered yet");
        EvictionCheck.Result r = new EvictionCheck(opener).verify(identity, uuid, prepared.checkDeadline, abandoned);
        prepared.checking.put(slot, r.detail());
        if (r.verdict() == EvictionCheck.Verdict.EVICTED) {
            String detail = "EPERM, verified evicted (Ceph 16 answers EPERM to a reset after an MDS restart or from "
                    + "another cephx user and evicts the session anyway): " + r.detail();
            LOG.info(() -> "cephfs-jca: reset of uuid " + uuid + " (slot " + slot + ") answered EPERM; " + detail);
            return new SlotOutcome(slot, uuid, SlotOutcome.Result.RESET, null, detail, elapsedMillis(t0));
        }
        String detail = (r.verdict() == EvictionCheck.Verdict.STILL_PRESENT
                ? "EPERM, session still present: " : "EPERM, not verified: ") + resetMessage + "; " + r.detail()
                + " (a session of another cephx user, or of this one before an MDS restart; an adapter's identity must "
                + "stay the same across restarts)";
        return failed(slot, uuid, Errno.EPERM.name(), detail, t0);
    }

    /**
     * ceph_release of a reset client (it never mounted) takes 10-150 ms with 64 of them on 2 cores: the reset is
     * complete when finish_reclaim returns, so the start does not wait for the release.
     */
    private static void releaseLater(CephMount m) {
        Thread t = new Thread(m::close, "cephfs-jca-recovery-release");
        t.setDaemon(true);
        t.start();
    }

    private static SlotOutcome await(Future<SlotOutcome> f, int slot, String uuid, long deadline, long timeoutNanos,
                                     java.util.Map<Integer, String> checking) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String check = checking.get(slot); // after the wait: what the EPERM check of this uuid (if any) last saw
            if (check != null) {
                return new SlotOutcome(slot, uuid, SlotOutcome.Result.FAILED, Errno.EPERM.name(), "EPERM, not "
                        + "verified within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + check, -1);
            }
            return new SlotOutcome(slot, uuid, SlotOutcome.Result.FAILED, Errno.ETIMEDOUT.name(),
                    "no answer within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s", -1);
        } catch (ExecutionException e) {
            return new SlotOutcome(slot, uuid, SlotOutcome.Result.FAILED, "EIO", e.getCause().toString(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SlotOutcome(slot, uuid, SlotOutcome.Result.FAILED, Errno.EINTR.name(), "interrupted", -1);
        }
    }

    private static SlotOutcome failed(int slot, String uuid, String errno, String detail, long t0) {
        return new SlotOutcome(slot, uuid, SlotOutcome.Result.FAILED, errno, detail, elapsedMillis(t0));
    }

    private static String errnoName(java.nio.file.FileSystemException e) {
        String reason = e.getReason();
        if (reason != null) {
            for (Errno errno : Errno.values()) {
                if (reason.contains(": " + errno.name() + " (")) {
                    return errno.name();
                }
            }
        }
        return "EIO";
    }

    private static long elapsedMillis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static RecoveryReport log(RecoveryReport report) {
        LOG.log(report.failed() > 0 ? Level.WARNING : Level.INFO, "cephfs-jca: " + report.summary());
        return report;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "cephfs-jca-recovery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
