package org.cephfsjca.adapter.watchdog;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.libcephfs.CallWatch;
import org.cephfsjca.libcephfs.CephMount;

/**
 * No native call waits forever (operationTimeoutSeconds). libcephfs 16 has no per-request timeout: a call that needs an
 * MDS waits as long as no MDS rank answers. The watchdog looks at every call in flight on the mounts it watches
 * ({@link CallWatch}, every {@value #MIN_PERIOD_MILLIS}-{@value #MAX_PERIOD_MILLIS} ms); one older than the timeout is
 * marked overrun and its session fenced:
 * <ol>
 * <li>the mount refuses new calls at once (ESHUTDOWN, fatal: the pool replaces the connection);</li>
 * <li>its client's own addresses are blocklisted through the monitors ({@link Fencer});</li>
 * <li>the client is made to fetch the newest OSD map ({@link CephMount#requestOsdMap()}), sees itself blocklisted and
 *     fails every call it has waiting; the overrun call's caller gets an {@link OperationTimeoutException} naming the
 *     call, the path and the timeout;</li>
 * <li>the listener retires the session (the adapter's pool then opens a new one for the next connection, which
 *     succeeds once the cluster answers again).</li>
 * </ol>
 * A client that is not mounted (a reset client in {@code ceph_start_reclaim}) cannot be made to fetch the map; it is
 * blocklisted, so it can never complete its reset later, and the binding gives its caller the exception anyway
 * ({@link CephMount#startReclaim}); its thread and handle are released when an MDS answers again (and rejects it).
 */
public final class Watchdog implements CallWatch.Watcher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    static final long MIN_PERIOD_MILLIS = 50;
    static final long MAX_PERIOD_MILLIS = 250;
    /** Blocklist entries outlive the fenced clients by far (they are destroyed at once). */
    static final int BLOCKLIST_EXPIRE_SECONDS = 3600;
    /** A fenced call still in flight this long after the timeout is reported as stuck (once). */
    private static final long STUCK_REPORT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String node;
    private final int timeoutSeconds;
    private final long timeoutNanos;
    private final Fencer fencer;
    private final Consumer<CephMount> onFenced;
    private final ScheduledExecutorService scanner;
    private final ExecutorService fencing;
    private final AtomicInteger fenceCount = new AtomicInteger();
    private final Map<CallWatch.Call, Long> reportedStuck = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Watchdog(AdapterConfig config, Fencer fencer, Consumer<CephMount> onFenced) {
        this.node = config.nodeId();
        this.timeoutSeconds = config.operationTimeoutSeconds();
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.fencer = fencer;
        this.onFenced = onFenced;
        this.scanner = Executors.newSingleThreadScheduledExecutor(daemon("cephfs-jca-watchdog-" + node));
        this.fencing = Executors.newCachedThreadPool(daemon("cephfs-jca-fence-" + node));
        long period = Math.max(MIN_PERIOD_MILLIS, Math.min(MAX_PERIOD_MILLIS, timeoutSeconds * 1000L / 20));
        scanner.scheduleWithFixedDelay(this::scanQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects the fencer (as the adapter's configured user), checks that the user may blocklist, and starts
     * watching. {@code onFenced} runs once per fenced mount, after its client was blocklisted.
     *
     * @throws FencingUnavailableException naming the missing cap, or why the monitors could not be asked
     */
    public static Watchdog start(AdapterConfig config, Identity identity, Consumer<CephMount> onFenced)
            throws IOException {
        if (config.operationTimeoutSeconds() <= 0) {
            throw new IllegalArgumentException("operationTimeoutSeconds is off");
        }
        Fencer f = Fencer.connect(config, identity, BLOCKLIST_EXPIRE_SECONDS);
        LOG.info(() -> "cephfs-jca: node " + config.nodeId() + ": calls are bounded at operationTimeoutSeconds="
                + config.operationTimeoutSeconds() + " (a call that overruns has its session fenced: client."
                + identity.user() + " may blocklist clients)");
        return new Watchdog(config, f, onFenced);
    }

    @Override
    public long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public String describeTimeout() {
        return "operationTimeoutSeconds=" + timeoutSeconds + " s";
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Sessions fenced so far (diagnostics, tests). */
    public int fencesStarted() {
        return fenceCount.get();
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "cephfs-jca: watchdog scan failed", e);
        }
    }

    private void scan() {
        long now = System.nanoTime();
        List<CallWatch.Call> calls = CallWatch.inFlight();
        for (CallWatch.Call c : calls) {
            CephMount m = c.mount();
            if (m == null || m.watcher() != this) {
                continue;
            }
            long age = now - c.startNanos();
            if (age <= timeoutNanos) {
                continue;
            }
            if (!c.timedOut()) {
                c.markTimedOut();
                fence(m, c);
            } else if (age > timeoutNanos + STUCK_REPORT_NANOS && !"ceph_start_reclaim".equals(c.call())
                    && reportedStuck.putIfAbsent(c, c.startNanos()) == null) {
                // (a reset, on a client that is not mounted, cannot be woken: its caller had the timeout already)
                LOG.severe(() -> "cephfs-jca: " + c.call() + " " + c.subject() + " on thread " + c.thread().getName()
                        + " is still inside libcephfs " + TimeUnit.NANOSECONDS.toSeconds(age) + " s after it started, "
                        + "although its session was fenced (" + m.fencedReason() + ")" + stack(c.thread()));
            }
        }
        reportedStuck.entrySet().removeIf(e -> !calls.contains(e.getKey()) || e.getKey().startNanos() != e.getValue());
    }

    private void fence(CephMount m, CallWatch.Call c) {
        String reason = c.call() + " " + c.subject() + " did not return within " + describeTimeout();
        if (!m.markFenced(reason)) {
            return; // fenced already (another overrun call on the same session)
        }
        for (CallWatch.Call other : CallWatch.inFlight()) {
            if (other.mount() == m) {
                other.markTimedOut(); // the fence fails them all: each caller is told why
            }
        }
        fenceCount.incrementAndGet();
        if (!closed) {
            fencing.execute(() -> doFence(m, reason));
        }
    }

    private boolean doFence(CephMount m, String reason) {
        long t0 = System.nanoTime();
        List<String> addrs = m.addresses();
        for (int i = 0; addrs.isEmpty() && i < 20 && !m.isClosed(); i++) {
            sleep(50); // a client learns its address from the monitors just after ceph_init
            addrs = m.addresses();
        }
        if (addrs.isEmpty()) {
            LOG.severe("cephfs-jca: cannot fence " + m + " (" + reason + "): it has no address yet; its calls stay "
                    + "blocked until the cluster answers");
            notifyFenced(m);
            return false;
        }
        try {
            for (String a : addrs) {
                fencer.blocklist(a);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cephfs-jca: fencing " + m + " (" + reason + ") failed: blocklisting " + addrs
                    + ": " + e.getMessage() + "; its calls stay blocked until the cluster answers", e);
            notifyFenced(m);
            return false;
        }
        long blocklistedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        List<String> fencedAddrs = addrs;
        // no MDS may be there to tell the client: make it fetch the map that blocklists it (waits for a monitor)
        Thread poke = new Thread(m::requestOsdMap, "cephfs-jca-fence-osdmap");
        poke.setDaemon(true);
        poke.start();
        LOG.warning(() -> "cephfs-jca: node " + node + ": fenced " + m + ": " + reason + "; blocklisted "
                + fencedAddrs + " for " + fencer.expireSeconds() + " s in " + blocklistedMillis + " ms; its "
                + "waiting calls fail, and the session is replaced");
        notifyFenced(m);
        return true;
    }

    private void notifyFenced(CephMount m) {
        try {
            onFenced.accept(m);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cephfs-jca: retiring fenced " + m + " failed", e);
        }
    }

    /** Stops watching (adapter stop). Fences under way finish on their own threads. */
    @Override
    public void close() {
        closed = true;
        scanner.shutdownNow();
        fencing.shutdown();
        try {
            fencing.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fencer.close();
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
