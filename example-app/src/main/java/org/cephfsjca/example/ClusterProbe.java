package org.cephfsjca.example;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * Whether the cluster answers, asked in a bounded time: a pooled connection's {@code statfs}, which the monitors
 * answer (a round trip every time, never served from the client's caches). A call to a cluster that does not
 * answer never returns (libcephfs has no timeout of its own), so the probe runs on an executor thread and the
 * caller waits at most the bound; while a probe is still waiting, no second one is started (a cluster that stays
 * away holds one thread, never more), and every check reports how long it has been waiting.
 */
final class ClusterProbe {

    /** What one check found. */
    record Result(boolean reachable, long millis, String detail) {
    }

    private final ExecutorService executor;
    private final long boundMillis;
    private Future<?> inFlight;
    private long inFlightSince;

    ClusterProbe(ExecutorService executor, long boundMillis) {
        this.executor = executor;
        this.boundMillis = boundMillis;
    }

    /** Asks the cluster, waiting at most the bound. One check at a time (health checks are rare). */
    synchronized Result check(CephConnectionFactory files) {
        long now = System.nanoTime();
        if (inFlight == null || inFlight.isDone()) {
            try {
                inFlight = executor.submit(() -> {
                    try (CephConnection c = files.getConnection()) {
                        c.statfs();
                    }
                    return null;
                });
            } catch (RejectedExecutionException e) {
                inFlight = null;
                return new Result(false, 0, "the probe could not be started: " + e.getMessage());
            }
            inFlightSince = now;
        }
        Future<?> f = inFlight;
        long waitedBefore = TimeUnit.NANOSECONDS.toMillis(now - inFlightSince);
        long left = Math.max(0, boundMillis - waitedBefore);
        try {
            f.get(left, TimeUnit.MILLISECONDS);
            return new Result(true, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inFlightSince),
                    "the monitors answered a statfs");
        } catch (TimeoutException e) {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inFlightSince);
            return new Result(false, waited, "no answer to a statfs for " + waited + " ms (bound " + boundMillis
                    + " ms)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return new Result(false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inFlightSince),
                    "statfs failed: " + c.getClass().getSimpleName() + ": " + c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, waitedBefore, "interrupted");
        }
    }
}
