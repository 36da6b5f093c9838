package org.cephfsjca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The harness's progress log (stderr, seconds since start) and the small formatting helpers it shares. */
final class BenchLog {

    private static final long STARTED = System.nanoTime();

    private BenchLog() {
    }

    static void log(String s) {
        System.err.printf(Locale.ROOT, "bench %6.1f s  %s%n", (System.nanoTime() - STARTED) / 1e9, s);
    }

    static String totalSeconds() {
        return secondsSince(STARTED);
    }

    /** The 1-, 5- and 15-minute load averages: the run records them at every step (the machine may be shared). */
    static String uptime() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return "load average " + f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "load unknown";
        }
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }

    static String secondsSince(long t0) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
    }

    static ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
