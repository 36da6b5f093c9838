package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.daemon;
import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.secondsSince;
import static org.cephfsjca.bench.BenchLog.uptime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hand-off latency: H writes a file and keeps it open (O_RDONLY, with or without an exclusive flock), then R stats
 * it and opens + reads it. Between two libcephfs clients that has been measured to cost up to an MDS tick (~5 s),
 * within one client not. Every row (see {@link HandoffRow}) runs the same hand-offs in the same concurrent batches,
 * so a stalled batch costs about one tick and the rows compare like with like. Results go to
 * {@code ho/<row>/<variant>/{stat,read}} (ms, one value per hand-off); a row that fails is listed in
 * {@link #failures()} and the others still run.
 */
final class HandoffBench {

    /** Bound of one batch (hold + measure + release), and of one child's start. */
    static final int BATCH_SECONDS = 60;

    /** Variants: key, and what H keeps. */
    static final String[][] VARIANTS = {
        {"open", "open O_RDONLY"},
        {"flock", "open O_RDONLY + exclusive flock"},
    };

    private final BenchOptions options;
    private final BenchCluster cluster;
    private final Children children;
    private final Results results;
    private final Map<String, String> loads;
    private final Map<String, String> failures = new LinkedHashMap<>();

    HandoffBench(BenchOptions options, BenchCluster cluster, Children children, Results results,
                 Map<String, String> loads) {
        this.options = options;
        this.cluster = cluster;
        this.children = children;
        this.results = results;
        this.loads = loads;
    }

    static String key(String row, String variant, String measure) {
        return "ho/" + row + "/" + variant + "/" + measure;
    }

    /** Row key to why it failed. */
    Map<String, String> failures() {
        return failures;
    }

    void run() {
        for (String[] r : HandoffRow.ROWS) {
            String load = uptime();
            loads.put("handoff " + r[0], load);
            log("hand-off: " + r[1] + "; " + load);
            long t0 = System.nanoTime();
            ExecutorService h = Executors.newSingleThreadExecutor(daemon("handoff-H"));
            ExecutorService rd = Executors.newSingleThreadExecutor(daemon("handoff-R"));
            try {
                HandoffRow row = within(h, () -> HandoffRow.open(r[0], children, options.leaseIntervalMs),
                        deadline(2), "set-up (mounts, adapters or child JVMs)");
                try {
                    measureRow(row, h, rd);
                } finally {
                    closeBounded(row);
                }
                log("hand-off: " + r[1] + " done in " + secondsSince(t0) + " s");
            } catch (Exception e) {
                String why = e instanceof IllegalStateException ? e.getMessage() : String.valueOf(e);
                failures.put(r[0], why);
                log("hand-off: " + r[1] + " FAILED: " + why);
            } finally {
                h.shutdownNow();
                rd.shutdownNow();
            }
        }
    }

    private void measureRow(HandoffRow row, ExecutorService h, ExecutorService rd) throws Exception {
        String dir = cluster.runDir + "/handoff/" + row.key();
        within(h, () -> {
            row.holder().prepare(dir);
            return null;
        }, deadline(1), "H's mkdirs of " + dir);
        int n = options.handoffs;
        int batch = Math.max(1, options.handoffBatch);
        int batches = (n + batch - 1) / batch;
        for (String[] v : VARIANTS) {
            boolean lock = v[0].equals("flock");
            double[] stat = new double[n];
            double[] read = new double[n];
            long t0 = System.nanoTime();
            for (int b = 0, done = 0; done < n; b++, done += batch) {
                List<String> paths = new ArrayList<>();
                for (int i = done; i < Math.min(n, done + batch); i++) {
                    paths.add(dir + "/" + v[0] + "-" + i);
                }
                String where = HandoffRow.title(row.key()) + ", " + v[0] + ", batch " + (b + 1) + "/" + batches + ": ";
                long deadline = deadline(1);
                within(h, () -> {
                    row.holder().hold(paths, lock);
                    return null;
                }, deadline, where + "H's hold");
                long[][] t = within(rd, () -> row.reader().measure(paths), deadline, where + "R's stat + open+read");
                within(h, () -> {
                    row.holder().release();
                    return null;
                }, deadline, where + "H's release");
                for (int i = 0; i < t.length; i++) {
                    stat[done + i] = t[i][0] / 1e6;
                    read[done + i] = t[i][1] / 1e6;
                }
            }
            results.put(key(row.key(), v[0], "stat"), "ms", stat);
            results.put(key(row.key(), v[0], "read"), "ms", read);
            log("hand-off: " + HandoffRow.title(row.key()) + ", " + v[0] + ": " + n + " in " + batches + " batch(es), "
                    + secondsSince(t0) + " s; " + summary(results.get(key(row.key(), v[0], "stat")), "stat") + "; "
                    + summary(results.get(key(row.key(), v[0], "read")), "open+read"));
        }
    }

    private static String summary(Results.Series s, String what) {
        return what + " p50 " + BenchReport.ms(s.percentile(50)) + " / p99 " + BenchReport.ms(s.percentile(99))
                + " / max " + BenchReport.ms(s.max()) + " ms";
    }

    private static long deadline(int batches) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos((long) batches * BATCH_SECONDS);
    }

    /** Runs {@code step} on {@code ex}, waiting until {@code deadline} at most; then fails naming the step. */
    private static <T> T within(ExecutorService ex, Callable<T> step, long deadline, String what) throws Exception {
        Future<T> f = ex.submit(step);
        try {
            return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(what + " did not finish within its bound (" + BATCH_SECONDS
                    + " s per batch)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException ise) {
                throw new IllegalStateException(what + ": " + ise.getMessage(), ise);
            }
            throw e.getCause() instanceof Exception x ? new IllegalStateException(what + ": " + x, x) : e;
        }
    }

    /** Closes the row on a thread of its own: a close stuck behind a call that never returns must not hang the run. */
    private static void closeBounded(HandoffRow row) throws InterruptedException {
        Thread t = new Thread(row::close, "handoff-close");
        t.setDaemon(true);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(BATCH_SECONDS));
        if (t.isAlive()) {
            log("hand-off: closing " + HandoffRow.title(row.key()) + " did not finish within " + BATCH_SECONDS
                    + " s; going on");
        }
    }
}
