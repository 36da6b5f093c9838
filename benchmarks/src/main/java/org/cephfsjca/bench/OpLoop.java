package org.cephfsjca.bench;

import java.nio.ByteBuffer;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.LockMode;

/**
 * The operation loop of the server benchmark, the same code inside WildFly (the bench deployment, container-managed
 * factory: pool and CCM in the path) and in Java SE (the non-managed factory), so that the two compare like with
 * like. Uses the API only: it is packaged into the bench war.
 *
 * <p>Two modes: {@code held} is one connection for the whole loop, through {@link AdapterWorker} (the data-path
 * benchmark's adapter row, reused as is); {@code perop} is what an application does per request: get a connection,
 * one operation, close it. In {@code perop} a 4 KiB read opens and closes the file too (a channel does not outlive its
 * connection). Every operation is timed alone ({@link System#nanoTime()}).
 */
public final class OpLoop {

    public static final List<String> OPS = List.of("stat", "read4k", "create", "lock");
    private static final int MAX_SAMPLES = 1 << 20;

    private final CephConnectionFactory factory;
    private final Worker.Paths paths;
    private final byte[] data = new byte[4096];
    private final ByteBuffer small = ByteBuffer.allocateDirect(4096);
    /** Created files are {@code create/<tag><seq>}: every create makes a new file (as in the data path), never truncates. */
    private final String tag;
    private long createSeq;
    private long readSeq;

    /** One repetition: operations done, and their mean, median and 99th percentile (µs). */
    public record Rep(String op, String mode, int n, double meanUs, double p50Us, double p99Us) {

        public String json() {
            return String.format(Locale.ROOT, "{\"op\":\"%s\",\"mode\":\"%s\",\"n\":%d,\"meanUs\":%.3f,"
                    + "\"p50Us\":%.3f,\"p99Us\":%.3f}", op, mode, n, meanUs, p50Us, p99Us);
        }
    }

    /** An operation for {@link #timed}: one call, as the mode does it. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** @param dir this loop's own directory (created by {@link #setup}) */
    public OpLoop(CephConnectionFactory factory, String dir) {
        this(factory, dir, "l", 0);
    }

    /**
     * @param tag names this loop's created files apart from other loops' in {@code dir}
     * @param seq where the numbering of created files (and the read offsets) starts
     */
    public OpLoop(CephConnectionFactory factory, String dir, String tag, long seq) {
        this.factory = factory;
        this.paths = new Worker.Paths(dir, dir + "/data-1m", dir + "/lockfile", dir + "/seq", dir);
        this.tag = tag;
        this.createSeq = seq;
        this.readSeq = seq;
    }

    /** Creates the directory, the 1 MiB file (stat, read4k) and the lock file; caches the 1 MiB file. */
    public void setup() throws Exception {
        try (AdapterWorker w = new AdapterWorker(factory)) {
            w.setup(paths);
        }
    }

    /** One connection, held for the warm-up and the repetition: the operation alone. */
    public Rep held(String op, long warmupMs, long ms) throws Exception {
        try (AdapterWorker w = new AdapterWorker(factory)) {
            w.setup(paths);
            Call c = switch (op) {
                case "stat" -> w::stat;
                case "read4k" -> () -> w.read4k(nextOffset());
                case "create" -> () -> w.create(paths.dir() + "/create/" + tag + "h" + createSeq++);
                case "lock" -> w::lock;
                default -> throw new IllegalArgumentException("op: " + OPS + ", not " + op);
            };
            timed(c, warmupMs);
            return timed(op, "held", c, ms);
        }
    }

    /** Get a connection, the operation, close it: per operation. */
    public Rep perOp(String op, long warmupMs, long ms) throws Exception {
        Call c = () -> one(op);
        timed(c, warmupMs);
        return timed(op, "perop", c, ms);
    }

    /** One operation on a connection of its own (get, op, close): {@code perop}'s call, and the EJB's per call. */
    public void one(String op) throws Exception {
        try (CephConnection c = factory.getConnection()) {
            switch (op) {
                case "stat" -> c.stat(paths.statFile());
                case "read4k" -> {
                    try (CephFileChannel ch = c.openChannel(paths.statFile())) {
                        small.clear();
                        if (ch.read(small, nextOffset()) != 4096) {
                            throw new IllegalStateException("short read");
                        }
                    }
                }
                case "create" -> c.write(paths.dir() + "/create/" + tag + "p" + createSeq++, data,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                case "lock" -> c.tryLock(paths.lockFile(), LockMode.EXCLUSIVE)
                        .orElseThrow(() -> new IllegalStateException("lock not granted")).close();
                default -> throw new IllegalArgumentException("op: " + OPS + ", not " + op);
            }
        }
    }

    private long nextOffset() {
        return (readSeq++ & 255) << 12; // the 256 blocks of the cached 1 MiB file, in turn
    }

    /** Runs {@code c} for {@code ms} (warm-up: nothing kept). */
    public static void timed(Call c, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            c.run();
        }
    }

    /** Runs {@code c} for {@code ms}, timing every call. */
    public static Rep timed(String op, String mode, Call c, long ms) throws Exception {
        long[] lat = new long[MAX_SAMPLES];
        int n = 0;
        long start = System.nanoTime();
        long end = start + ms * 1_000_000;
        long t = start;
        while (t < end && n < lat.length) {
            c.run();
            long t1 = System.nanoTime();
            lat[n++] = t1 - t;
            t = t1;
        }
        return summarize(op, mode, Arrays.copyOf(lat, n), t - start);
    }

    static Rep summarize(String op, String mode, long[] nanos, long totalNanos) {
        Arrays.sort(nanos);
        int n = nanos.length;
        if (n == 0) {
            return new Rep(op, mode, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Rep(op, mode, n, totalNanos / 1e3 / n, nanos[(n - 1) / 2] / 1e3,
                nanos[Math.max(0, (int) Math.ceil(0.99 * n) - 1)] / 1e3);
    }
}
