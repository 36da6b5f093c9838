package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.resource.ResourceException;

/**
 * Fault-test support: a record of every call worker threads made (what, on which path, when, how it ended), and the
 * checks the fault tests share: no Error, every failure a clear exception, no call blocked beyond a bound.
 */
final class CallLog {

    /** A call that may fail with anything; the log records it and rethrows. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    record Call(String thread, String op, String path, long start, long end, Throwable failure) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(end - start);
        }

        @Override
        public String toString() {
            return thread + " " + op + (path == null ? "" : " " + path) + " " + millis() + " ms: "
                    + (failure == null ? "ok" : failure.toString());
        }
    }

    /** How the binding words an errno: {@code /a: ceph_open: ENOENT (No such file or directory)}. */
    private static final Pattern ERRNO = Pattern.compile(": E[A-Z0-9]+ \\(");
    private static final long BLOCKED_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    <T> T call(String op, String path, Body<T> body) throws Throwable {
        long t0 = System.nanoTime();
        try {
            T result = body.run();
            calls.add(new Call(Thread.currentThread().getName(), op, path, t0, System.nanoTime(), null));
            return result;
        } catch (Throwable t) {
            calls.add(new Call(Thread.currentThread().getName(), op, path, t0, System.nanoTime(), t));
            throw t;
        }
    }

    /** Every call logged so far. */
    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Calls that started at or after {@code nanos} and succeeded. */
    long succeededAfter(long nanos) {
        return calls.stream().filter(c -> c.start() >= nanos && c.failure() == null).count();
    }

    /** Counts, failures, and how long calls overlapping {@code faultAt} or later were blocked. */
    String summary(long faultAt) {
        List<Call> all = new ArrayList<>(calls);
        Map<String, Long> maxByOp = new TreeMap<>();
        List<Call> failed = new ArrayList<>();
        long blocked = 0;
        Call longest = null;
        for (Call c : all) {
            if (c.end() >= faultAt) {
                maxByOp.merge(c.op(), c.millis(), Math::max);
                if (longest == null || c.millis() > longest.millis()) {
                    longest = c;
                }
            }
            if (c.end() - c.start() > BLOCKED_NANOS) {
                blocked++;
            }
            if (c.failure() != null) {
                failed.add(c);
            }
        }
        return all.size() + " calls, " + failed.size() + " failed" + (failed.isEmpty() ? "" : " " + failed.subList(0,
                Math.min(10, failed.size()))) + ", " + blocked + " blocked > 1 s, longest " + longest
                + ", max ms by op since the fault " + maxByOp;
    }

    /**
     * Every call ended, without an Error, either successfully or with a clear exception (an IOException naming the
     * path and the errno, or for getConnection a ResourceException naming the slot), and none ended more than
     * {@code graceNanos} after {@code backAt} (when the fault was over) or after its own start if later.
     */
    void assertEveryCallEndedClearly(long backAt, long graceNanos) {
        for (Call c : calls) {
            if (c.failure() instanceof Error) {
                throw new AssertionError("call failed with an Error: " + c, c.failure());
            }
            if (c.failure() != null && !clear(c)) {
                throw new AssertionError("unclear failure: " + c, c.failure());
            }
            long over = c.end() - Math.max(c.start(), backAt);
            if (over > graceNanos) {
                fail("call still blocked " + TimeUnit.NANOSECONDS.toMillis(over) + " ms after the fault was over "
                        + "(bound " + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms): " + c);
            }
        }
    }

    private static boolean clear(Call c) {
        String msg = c.failure().getMessage();
        if (msg == null) {
            return false;
        }
        if (c.path() == null) {
            return c.failure() instanceof ResourceException && msg.contains("slot");
        }
        return c.failure() instanceof IOException && msg.contains(c.path()) && ERRNO.matcher(msg).find();
    }
}
