package org.cephfsjca.example;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Failures that can come in floods (the pool exhausted, the cluster away) are logged as one WARNING line with a
 * count, at most once per {@link #INTERVAL_MILLIS} per kind, never with a stack trace per request:
 * {@code 12 requests answered 503 unavailable in the last 10 s (latest: IJ000453: Unable to get managed connection
 * for java:/ceph/FileSystem)}.
 */
final class FailureLog {

    private static final Logger LOG = Logger.getLogger(FailureLog.class.getName());
    static final long INTERVAL_MILLIS = 10_000;

    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private FailureLog() {
    }

    private static final class Counter {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastReport = new AtomicLong(Long.MIN_VALUE);
    }

    /** Counts one failure of {@code kind}; logs the count when the last report of that kind is old enough. */
    static void record(String kind, String detail) {
        Counter c = COUNTERS.computeIfAbsent(kind, k -> new Counter());
        c.count.incrementAndGet();
        long now = System.nanoTime();
        long last = c.lastReport.get();
        if ((last == Long.MIN_VALUE || now - last >= TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS))
                && c.lastReport.compareAndSet(last, now)) {
            long n = c.count.getAndSet(0);
            String since = last == Long.MIN_VALUE ? "" : " in the last "
                    + TimeUnit.NANOSECONDS.toSeconds(now - last) + " s";
            LOG.warning(n + (n == 1 ? " request" : " requests") + " answered " + kind + since + " (latest: "
                    + oneLine(detail) + ")");
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
