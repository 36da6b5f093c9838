package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.NativeHandles;

/**
 * Random API sequences, valid and hostile (NUL bytes, '..' escapes, over-long and unencodable names, negative
 * offsets, huge lengths and offsets, random open options, xattrs, lock modes and timeouts, use after close, closes
 * from another thread), with fixed seeds so a failure reproduces. Every call must either work or throw one of the
 * documented exception types; the JVM must survive; no call may hang; a closed connection holds nothing open; data
 * written whole reads back whole, and bytes written at an offset through a channel read back from it.
 *
 * <p>In the suite: 10 seeds x 1000 operations. Longer: {@code scripts/fuzz-api.sh} (RANDOM_SEED_COUNT seeds from
 * RANDOM_BASE_SEED, RANDOM_OPS each; 1000 x 1000 = 1M operations).
 */
class RandomizedApiTest {

    private static final long[] SEEDS = seeds();
    private static final int OPS = intEnv("RANDOM_OPS", 1000);
    private static final int OPERATION_TIMEOUT = intEnv("RANDOM_OPERATION_TIMEOUT", 10);
    /** Calls the watchdog cut short (OperationTimeoutException), across all seeds. */
    private static final java.util.concurrent.atomic.AtomicInteger TIMED_OUT = new java.util.concurrent.atomic.AtomicInteger();
    /** A single call taking longer than this is a hang (the slowest legitimate one, a 300 KB write, takes ~50 ms). */
    private static final Duration OP_BOUND = Duration.ofSeconds(30);
    private static final boolean TRACE = System.getenv("RANDOM_TRACE") != null;
    private static CephResourceAdapter ra;
    private static CephConnectionFactory cf;

    @BeforeAll
    static void start() throws Exception {
        // RANDOM_CEPH_OPTIONS="debug_client=20;log_file=/tmp/x.log" to see what libcephfs waits for
        // the watchdog on (RANDOM_OPERATION_TIMEOUT seconds, 0 = off): libcephfs 16 has a call that waits forever for
        // max_size that no binding check can keep out of reach (MaxSizeHangTest); bounded, it is a documented outcome
        ra = Adapters.started(Adapters.freshNodeId("rand"), 4, x -> {
            x.setCephOptions(System.getenv("RANDOM_CEPH_OPTIONS"));
            x.setOperationTimeoutSeconds(OPERATION_TIMEOUT);
            x.setLeaseIntervalMillis(0); // no lease: /.cephfs-jca, shared with crash tests, is not what this is about
        });
        cf = Adapters.factory(ra);
    }

    @AfterAll
    static void stop() {
        if (ra != null) {
            ra.stop();
        }
    }

    /**
     * RANDOM_SEEDS=7,42 runs just those seeds; RANDOM_SEED_COUNT=N (with RANDOM_BASE_SEED, default 1000) runs N seeds
     * from there (long runs, scripts/fuzz-api.sh).
     */
    private static long[] seeds() {
        String env = System.getenv("RANDOM_SEEDS");
        int count = intEnv("RANDOM_SEED_COUNT", 0);
        if ((env == null || env.isBlank()) && count > 0) {
            long base = intEnv("RANDOM_BASE_SEED", 1000);
            return java.util.stream.LongStream.range(base, base + count).toArray();
        }
        if (env == null || env.isBlank()) {
            return new long[] {1, 7, 42, 1234, 99991, 3, 5, 11, 2024, 31337};
        }
        return java.util.Arrays.stream(env.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }

    private static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    @Test
    void randomSequencesKeepTheInvariants() throws Exception {
        ExecutorService closer = Executors.newSingleThreadExecutor(daemon("random-closer"));
        ExecutorService runner = Executors.newSingleThreadExecutor(daemon("random-runner"));
        long t0 = System.nanoTime();
        try {
            for (long seed : SEEDS) {
                new Sequence(seed, closer, runner).run();
            }
            System.out.printf("random API: %d seeds x %d operations in %d ms: no crash, no hang, no wrong content; "
                    + "%d call(s) cut short by operationTimeoutSeconds=%d%n", SEEDS.length, OPS,
                    (System.nanoTime() - t0) / 1_000_000, TIMED_OUT.get(), OPERATION_TIMEOUT);
        } finally {
            closer.shutdownNow();
            runner.shutdownNow();
        }
    }

    /** One seed's sequence: every call runs on {@code runner}, bounded by OP_BOUND. */
    private static final class Sequence {
        final long seed;
        final Random rnd;
        final ExecutorService closer;
        final ExecutorService runner;
        final String dir;
        final Map<String, byte[]> written = new HashMap<>();
        /** Paths with a writable channel or stream open: what they write, now or when flushed, is not predicted. */
        final Map<AutoCloseable, String> writers = new java.util.IdentityHashMap<>();
        /** A rename while writers were open: they may now write under any name, until they are all closed. */
        boolean writersMoved;
        final List<AutoCloseable> open = new ArrayList<>();
        final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
        CephConnection c;

        Sequence(long seed, ExecutorService closer, ExecutorService runner) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.closer = closer;
            this.runner = runner;
            this.dir = "/jca-tests/random-" + seed + "-" + System.nanoTime();
        }

        void run() throws Exception {
            int i = -1;
            long files = NativeHandles.files();
            long directories = NativeHandles.directories();
            try {
                bounded("setup", () -> {
                    c = cf.getConnection();
                    c.mkdirs(dir);
                    return null;
                });
                for (i = 0; i < OPS; i++) {
                    int op = rnd.nextInt(22);
                    String name = randomName(rnd, dir);
                    String what = "seed " + seed + " op " + i + ": " + op + " " + printable(name) + " open="
                            + open.size();
                    if (TRACE) {
                        System.out.println(what);
                        System.out.flush();
                    }
                    recent.addLast(what);
                    if (recent.size() > 12) {
                        recent.removeFirst();
                    }
                    int index = i;
                    bounded(what, () -> {
                        step(index, op, name);
                        return null;
                    });
                }
                bounded("cleanup", () -> {
                    c.close();
                    try (CephConnection cleanup = cf.getConnection()) {
                        cleanup.deleteRecursively(dir);
                    }
                    return null;
                });
                // every connection was closed: nothing native may stay open, nothing may count as leaked
                assertEquals(files, NativeHandles.files(), "native files left open");
                assertEquals(directories, NativeHandles.directories(), "native directories left open");
                assertEquals(0, cf.getSessionStatus().leakedConnections());
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + seed + " failed at op " + i + " (rerun: RANDOM_SEEDS=" + seed
                        + " RANDOM_TRACE=1); last ops:\n  " + String.join("\n  ", recent) + "\n" + e, e);
            }
        }

        private <T extends AutoCloseable> T writer(T resource, String name) {
            writers.put(resource, normalized(name));
            written.remove(normalized(name));
            return resource;
        }

        private void bounded(String what, java.util.concurrent.Callable<Void> call) throws Exception {
            Hangs.bounded(runner, OP_BOUND, what, call);
        }

        private void step(int i, int op, String name) throws Exception {
            try {
                switch (op) {
                    case 0: {
                        byte[] data = new byte[rnd.nextInt(3) == 0 ? rnd.nextInt(300_000) : rnd.nextInt(100)];
                        rnd.nextBytes(data);
                        written.remove(normalized(name)); // a write that fails half-way leaves what it left
                        c.write(name, data);
                        written.put(normalized(name), data);
                        break;
                    }
                    case 1: {
                        byte[] got = c.readAllBytes(name);
                        if (writers.isEmpty()) {
                            writersMoved = false;
                        }
                        byte[] expected = writersMoved || writers.containsValue(normalized(name)) ? null
                                : written.get(normalized(name));
                        if (expected != null) {
                            assertArrayEquals(expected, got, "seed " + seed + " op " + i + " " + name);
                        }
                        break;
                    }
                    case 2:
                        open.add(writer(c.openChannel(name, StandardOpenOption.READ, StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE), name));
                        written.remove(normalized(name));
                        break;
                    case 3:
                        // two draws, as the first version of this test made: the seeds keep their sequences
                        int pick = open.isEmpty() ? -1 : rnd.nextInt(open.size());
                        if (pick >= 0 && open.get(pick) instanceof CephFileChannel) {
                            rnd.nextInt(open.size());
                            CephFileChannel ch = (CephFileChannel) open.get(pick);
                            ByteBuffer b = rnd.nextBoolean() ? ByteBuffer.allocateDirect(rnd.nextInt(8192))
                                    : ByteBuffer.allocate(rnd.nextInt(8192));
                            long pos = rnd.nextInt(5) == 0 ? -rnd.nextInt(100) - 1 : rnd.nextInt(1 << 20);
                            if (rnd.nextBoolean()) {
                                ch.write(b, pos);
                            } else {
                                ch.read(b, pos);
                            }
                        }
                        break;
                    case 4:
                        open.add(writer(c.newOutputStream(name), name));
                        written.remove(normalized(name));
                        break;
                    case 5:
                        open.add(c.newInputStream(name));
                        break;
                    case 6:
                        if (!open.isEmpty()) {
                            AutoCloseable r = open.remove(rnd.nextInt(open.size()));
                            String wrote = writers.remove(r);
                            if (wrote != null) {
                                written.remove(wrote); // a stream flushes what it buffered when it closes
                            }
                            if (rnd.nextBoolean()) {
                                Hangs.bounded(closer, OP_BOUND, "close of " + r + " on another thread", () -> {
                                    r.close();
                                    return null;
                                });
                            } else {
                                r.close();
                            }
                        }
                        break;
                    case 7:
                        if (!open.isEmpty() && open.get(0) instanceof OutputStream) {
                            ((OutputStream) open.get(0)).write(new byte[rnd.nextInt(5000)]);
                        } else if (!open.isEmpty() && open.get(0) instanceof InputStream) {
                            ((InputStream) open.get(0)).read(new byte[rnd.nextInt(5000)]);
                        }
                        break;
                    case 8:
                        c.tryLock(name, rnd.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE).ifPresent(open::add);
                        break;
                    case 9:
                        open.add(c.lock(name, LockMode.SHARED, Duration.ofMillis(rnd.nextInt(50))));
                        break;
                    case 10:
                        c.mkdirs(name);
                        break;
                    case 11:
                        c.delete(name);
                        written.remove(normalized(name));
                        break;
                    case 12:
                        c.list(rnd.nextBoolean() ? dir : name);
                        break;
                    case 13:
                        c.setXattr(name, "user." + randomLeaf(rnd), new byte[rnd.nextInt(100)]);
                        break;
                    case 14:
                        c.rename(name, randomName(rnd, dir));
                        written.clear(); // renames may replace files: stop predicting contents
                        writersMoved = !writers.isEmpty();
                        break;
                    case 16:
                        if (rnd.nextBoolean()) {
                            c.stat(name, rnd.nextBoolean());
                        } else {
                            c.exists(name);
                        }
                        break;
                    case 17: {
                        String xname = randomXattrName(rnd);
                        switch (rnd.nextInt(3)) {
                            case 0: c.getXattr(name, xname); break;
                            case 1: c.listXattrs(name); break;
                            default: c.removeXattr(name, xname); break;
                        }
                        break;
                    }
                    case 18: {
                        LockMode mode = rnd.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE;
                        if (rnd.nextBoolean()) {
                            c.tryLock(name, mode).ifPresent(open::add);
                        } else {
                            open.add(c.lock(name, mode, Duration.ofMillis(rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(80))));
                        }
                        break;
                    }
                    case 19: {
                        // bytes written at an offset through a channel read back from it
                        try (CephFileChannel ch = c.openChannel(name, StandardOpenOption.READ, StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE)) {
                            written.remove(normalized(name));
                            long pos = randomOffset(rnd);
                            byte[] data = new byte[1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 70_000 : 64)];
                            rnd.nextBytes(data);
                            if (TRACE) {
                                System.out.println("  positional write of " + data.length + " bytes at " + pos);
                            }
                            int n = ch.write(rnd.nextBoolean() ? ByteBuffer.wrap(data) : direct(data), pos);
                            ByteBuffer back = ByteBuffer.allocate(n);
                            int got = 0;
                            while (got < n) {
                                int r = ch.read(back, pos + got);
                                if (r <= 0) {
                                    break;
                                }
                                got += r;
                            }
                            assertEquals(n, got, "seed " + seed + " op " + i + ": read back at " + pos);
                            assertArrayEquals(java.util.Arrays.copyOf(data, n), back.array(), "seed " + seed + " op "
                                    + i + ": bytes at offset " + pos + " of " + name);
                            if (rnd.nextInt(4) == 0) {
                                ch.truncate(rnd.nextBoolean() ? pos : Math.max(0, pos - rnd.nextInt(100)));
                            }
                        }
                        break;
                    }
                    case 20:
                        open.add(writer(c.openChannel(name, randomOptions(rnd)), name));
                        written.remove(normalized(name));
                        break;
                    case 21: {
                        int which = open.isEmpty() ? -1 : rnd.nextInt(open.size());
                        if (which >= 0 && open.get(which) instanceof CephFileChannel) {
                            CephFileChannel ch = (CephFileChannel) open.get(which);
                            switch (rnd.nextInt(4)) {
                                case 0:
                                    written.remove(normalized(ch.path()));
                                    ch.truncate(rnd.nextInt(5) == 0 ? -1 : randomOffset(rnd));
                                    break;
                                case 1: ch.position(rnd.nextInt(5) == 0 ? -rnd.nextInt(10) - 1 : randomOffset(rnd));
                                    break;
                                case 2: ch.force(rnd.nextBoolean()); break;
                                default: ch.stat(); break;
                            }
                        }
                        break;
                    }
                    default: {
                        // close the whole connection, sometimes from another thread, then carry on with a new one
                        CephConnection old = c;
                        if (rnd.nextBoolean()) {
                            Hangs.bounded(closer, OP_BOUND, "connection close on another thread", () -> {
                                old.close();
                                return null;
                            });
                        } else {
                            old.close();
                        }
                        assertEquals(0, ((MountedConnection) old).openResourceCount(),
                                "a closed connection holds nothing open");
                        assertThrowsIllegalState(() -> old.stat(dir));
                        for (AutoCloseable r : open) {
                            useAfterClose(r);
                        }
                        open.clear();
                        writers.values().forEach(written::remove);
                        writers.clear();
                        c = cf.getConnection();
                        break;
                    }
                }
            } catch (IOException | IllegalArgumentException | IllegalStateException
                     | UnsupportedOperationException | IndexOutOfBoundsException expected) {
                // documented outcomes: ClosedChannelException, NoSuchFileException, ... are IOExceptions
                if (expected instanceof org.cephfsjca.libcephfs.OperationTimeoutException) {
                    TIMED_OUT.incrementAndGet();
                    System.out.println("seed " + seed + " op " + i + ": " + expected.getMessage());
                }
            }
        }
    }

    private static void useAfterClose(AutoCloseable r) throws Exception {
        try {
            if (r instanceof CephFileChannel) {
                ((CephFileChannel) r).read(ByteBuffer.allocate(4), 0);
            } else if (r instanceof OutputStream) {
                ((OutputStream) r).write(1);
            } else if (r instanceof InputStream) {
                ((InputStream) r).read();
            }
        } catch (ClosedChannelException | IllegalStateException e) {
            return;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("closed")) {
                return;
            }
            throw e;
        }
        if (!(r instanceof org.cephfsjca.api.CephLock)) {
            fail("use after the connection closed must fail: " + r);
        }
    }

    interface Call {
        void run() throws Exception;
    }

    private static void assertThrowsIllegalState(Call r) throws Exception {
        try {
            r.run();
        } catch (IllegalStateException expected) {
            return;
        }
        fail("expected IllegalStateException after close");
    }

    /** Mostly plain names, sometimes hostile ones. */
    private static String randomName(Random rnd, String dir) {
        switch (rnd.nextInt(12)) {
            case 0: return dir + "/a\0b";
            case 1: return dir + "/../../../etc/" + randomLeaf(rnd);
            case 2: return "/../" + randomLeaf(rnd);
            case 3: return dir + "/" + "x".repeat(256 + rnd.nextInt(100));
            case 4: return dir + "/bad\ud800" + randomLeaf(rnd);
            case 5: return "relative/" + randomLeaf(rnd);
            case 6: return dir + "/./sub/../" + randomLeaf(rnd);
            default: return dir + "/" + randomLeaf(rnd);
        }
    }

    private static String randomLeaf(Random rnd) {
        return "f" + rnd.nextInt(8);
    }

    /** Small, page-edge, large (sparse), past CephFS's file size limit (1 TiB by default), or the largest long. */
    private static long randomOffset(Random rnd) {
        switch (rnd.nextInt(8)) {
            case 0: return 0;
            case 1: return Math.max(0, 4096L * rnd.nextInt(64) - rnd.nextInt(2));
            case 2: return 1L << (20 + rnd.nextInt(11)); // sparse up to 1 GiB: deleting it purges 256 objects
            case 3: return (1L << 40) + rnd.nextInt(4096);
            case 4: return Long.MAX_VALUE - rnd.nextInt(10);
            default: return rnd.nextInt(1 << 16);
        }
    }

    /** Valid, namespaced, reserved (ceph.*), empty, over-long or NUL-bearing xattr names. */
    private static String randomXattrName(Random rnd) {
        switch (rnd.nextInt(8)) {
            case 0: return "";
            case 1: return "user.\0x";
            case 2: return "ceph.dir.layout";
            case 3: return "ceph.quota.max_bytes";
            case 4: return "user." + "n".repeat(256);
            case 5: return "trusted.x";
            default: return "user." + randomLeaf(rnd);
        }
    }

    /** A random set of open options, contradictory ones included. */
    private static java.nio.file.OpenOption[] randomOptions(Random rnd) {
        StandardOpenOption[] all = StandardOpenOption.values();
        java.nio.file.OpenOption[] out = new java.nio.file.OpenOption[rnd.nextInt(4)];
        for (int k = 0; k < out.length; k++) {
            out[k] = all[rnd.nextInt(all.length)];
        }
        return out;
    }

    private static ByteBuffer direct(byte[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length);
        b.put(data).flip();
        return b;
    }

    /** NUL and lone surrogates escaped: reports and consoles cut text at an unpaired surrogate. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch < 0x20 || Character.isSurrogate(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return sb.toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String normalized(String p) {
        return org.cephfsjca.adapter.fs.PathNames.normalize(p);
    }
}
