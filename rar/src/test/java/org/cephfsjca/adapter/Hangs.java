package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test support: waits that end in a failure carrying a thread dump, never in a hung build. */
public final class Hangs {

    private Hangs() {
    }

    /** Every thread's stack and what it is blocked on (monitors and j.u.c. locks, with their owners). */
    public static String threadDump() {
        StringBuilder sb = new StringBuilder("thread dump:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                sb.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            sb.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (deadlocked != null) {
            sb.append("DEADLOCKED thread ids: ").append(java.util.Arrays.toString(deadlocked)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Runs {@code call} on {@code executor} and waits at most {@code bound}; on timeout fails with {@code what} and
     * a thread dump (the stuck call is interrupted). Exceptions of the call are rethrown as they are.
     */
    public static <T> T bounded(ExecutorService executor, Duration bound, String what, Callable<T> call)
            throws Exception {
        Future<T> f = executor.submit(call);
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String dump = threadDump();
            f.cancel(true);
            return fail(what + " did not finish within " + bound.toMillis() + " ms\n" + dump);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception) {
                throw (Exception) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw e;
        }
    }

    /** Waits for {@code f} until {@code deadlineNanos} (System.nanoTime); fails with a dump if it is not done. */
    public static <T> T await(Future<T> f, long deadlineNanos, String what) throws Exception {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return fail(what + " did not finish by its deadline (deadlock or hang?)\n" + threadDump());
        }
    }
}
