package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephFileChannel;

/**
 * Large I/O, {@code largeMib} each way, against C at the same size in the same conditions. Every round runs four
 * transfers, in an order that rotates from round to round, each writing a <em>new</em> file (as an upload does),
 * reading it back and deleting it, and then waits until the MDS has purged it:
 * <ul>
 * <li>{@code c}: the C floor ({@code cephbench --ops large}: 4 MiB writes, fsync, 4 MiB reads);
 * <li>{@code app}: the example app through WildFly, upload with {@code curl -T} (the app copies the body in 256 KiB
 * steps, hashes it with SHA-256 and fsyncs the file at close) and download with curl to /dev/null, with the server
 * JVM's CPU time over each;
 * <li>{@code adapter}: the adapter in Java SE, a channel with one 4 MiB direct buffer, as C does;
 * <li>{@code app-path}: the adapter in SE with the app's copy path (256 KiB {@code byte[]} steps into an output
 * stream, SHA-256 of every byte, fsync at close; reads in 256 KiB heap-buffer steps);
 * </ul>
 * and once, the SHA-256 alone in memory. Results: {@code srv/large/<what>} (s, one value per round), {@code
 * srv/large/<what>-cpu} (server CPU s).
 */
final class LargeIo {

    static final int APP_BUFFER = 256 * 1024; // DocumentStore.BUFFER of the example app
    static final int ADAPTER_BUFFER = 4 << 20; // C's step
    /** The transfers of a round, in the first round's order; round r starts at the r-th. */
    static final List<String> TRANSFERS = List.of("c", "app", "adapter", "app-path");
    /** {@code --server-large-transfers}: a subset of {@link #TRANSFERS}, for a quick look. */
    static List<String> transfers(String csv) {
        List<String> t = List.of(csv.split(","));
        if (t.isEmpty() || !TRANSFERS.containsAll(t)) {
            throw new IllegalArgumentException("--server-large-transfers takes some of " + TRANSFERS + ": " + csv);
        }
        return t;
    }

    /** Free space kept beyond one file. */
    static final long SLACK = 256L << 20;

    private final BenchOptions options;
    private final ServerOptions opts;
    private final Results results;
    private final String apiUrl;
    private final WildFlyServer.User user;
    private final Path work;
    private final ProcessHandle serverJvm;
    private final String seDir;
    private final Callable<Long> available;
    String skipped;

    /** @param available the file system's available bytes (statfs) */
    LargeIo(BenchOptions options, Results results, String apiUrl, WildFlyServer.User user, Path work,
            ProcessHandle serverJvm, String seDir, Callable<Long> available) {
        this.options = options;
        this.opts = options.server;
        this.results = results;
        this.apiUrl = apiUrl;
        this.user = user;
        this.work = work;
        this.serverJvm = serverJvm;
        this.seDir = seDir;
        this.available = available;
    }

    long bytes() {
        return (long) opts.largeMib << 20;
    }

    void run(long availableBytes) throws Exception {
        long bytes = bytes();
        if (availableBytes < bytes + SLACK) {
            skipped = "not run: the cluster has " + (availableBytes >> 20) + " MiB available, " + opts.largeMib
                    + " MiB + " + (SLACK >> 20) + " MiB needed";
            log("server: large I/O " + skipped);
            return;
        }
        if (opts.largeTransfers.contains("c") && (options.cbench == null || !Files.isExecutable(Path.of(options.cbench)))) {
            throw new IllegalArgumentException("large I/O compares with C: --cbench must name the compiled C program "
                    + "(scripts/bench.sh builds it)");
        }
        Path file = work.resolve("large.bin");
        Path header = work.resolve("auth.header"); // curl -H @file: the credentials stay off the command line
        try (BenchAdapter se = BenchAdapter.start(BenchAdapter.freshNodeId("large"), 2, options.leaseIntervalMs);
             CephConnection c = se.factory.getConnection()) {
            writeLocalFile(file, bytes);
            Files.writeString(header, "Authorization: " + AppClient.basic(user) + "\n");
            Files.setPosixFilePermissions(header, PosixFilePermissions.fromString("rw-------"));
            c.mkdirs(seDir);
            for (int round = 0; round < opts.largeReps; round++) {
                List<String> transfers = opts.largeTransfers;
                for (int k = 0; k < transfers.size(); k++) {
                    String t = transfers.get((k + round) % transfers.size());
                    log("server: large round " + (round + 1) + "/" + opts.largeReps + ": " + t);
                    long strays = BenchCluster.PurgeState.read().strays();
                    switch (t) {
                        case "c" -> cFloor(round);
                        case "app" -> throughApp(file);
                        case "adapter" -> adapterChannel(c, seDir + "/large-adapter.bin");
                        case "app-path" -> adapterAppPath(c, seDir + "/large-app-path.bin");
                        default -> throw new IllegalStateException(t);
                    }
                    awaitPurge(strays);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(header);
        }
        shaOnly(bytes);
    }

    /** C, in a process of its own (fresh mount, as the data path's C runs). */
    private void cFloor(int round) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(options.cbench, "--conf", Env.conf(), "--fs", Env.fsName(),
                "--root", seDir + "/c", "--list-dir", BenchCluster.LIST_DIR, "--seq-dir", seDir + "/c-seq",
                "--ops", "large", "--seq-mib", Integer.toString(opts.largeMib)));
        cmd.addAll(options.cephOptions.childArgs());
        Path err = options.logDir.resolve("large-c-r" + (round + 1) + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("cephbench --ops large failed: " + Files.readString(err));
        }
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 6 && f[0].equals("RESULT")) {
                record("c-" + f[2].substring("large-".length()), Double.parseDouble(f[5]));
            }
        }
    }

    private void throughApp(Path file) throws Exception {
        String url = apiUrl + AppClient.doc("large/large.bin");
        curl("upload", List.of("-T", file.toString(), url));
        curl("download", List.of("-o", "/dev/null", url));
        curl("delete", List.of("-X", "DELETE", url));
    }

    /** The adapter as C uses libcephfs: 4 MiB direct buffer, positional, fsync; then read back. */
    private void adapterChannel(CephConnection c, String path) throws Exception {
        long bytes = bytes();
        ByteBuffer buf = ByteBuffer.allocateDirect(ADAPTER_BUFFER);
        while (buf.hasRemaining()) {
            buf.put((byte) 'x');
        }
        long t0 = System.nanoTime();
        try (CephFileChannel ch = c.openChannel(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long off = 0; off < bytes; off += ADAPTER_BUFFER) {
                if (ch.write(buf.clear(), off) != ADAPTER_BUFFER) {
                    throw new IllegalStateException("short write");
                }
            }
            ch.force(true);
        }
        record("adapter-write", seconds(t0));
        readBack(c, path, buf, "adapter-read");
        c.delete(path);
    }

    /** The example app's copy path without HTTP (DocumentStore.copyUpload; Downloads' reads). */
    private void adapterAppPath(CephConnection c, String path) throws Exception {
        long bytes = bytes();
        byte[] buf = new byte[APP_BUFFER];
        new Random(17).nextBytes(buf);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long t0 = System.nanoTime();
        try (OutputStream out = c.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC)) {
            for (long done = 0; done < bytes; done += buf.length) {
                out.write(buf);
                md.update(buf);
            }
        }
        md.digest();
        record("app-path-write", seconds(t0));
        readBack(c, path, ByteBuffer.allocate(APP_BUFFER), "app-path-read");
        c.delete(path);
    }

    private void readBack(CephConnection c, String path, ByteBuffer buf, String what) throws Exception {
        long t0 = System.nanoTime();
        long total = 0;
        try (CephFileChannel ch = c.openChannel(path)) {
            for (int n; (n = ch.read(buf.clear(), total)) > 0; ) {
                total += n;
            }
        }
        if (total != bytes()) {
            throw new IllegalStateException("read " + total + " of " + bytes() + " bytes");
        }
        record(what, seconds(t0));
    }

    /**
     * The app's SHA-256 of an upload alone, in memory (256 KiB steps): how much of the app's write path it is.
     */
    private void shaOnly(long bytes) throws Exception {
        byte[] buf = new byte[APP_BUFFER];
        new Random(18).nextBytes(buf);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long t0 = System.nanoTime();
        for (long done = 0; done < bytes; done += buf.length) {
            md.update(buf);
        }
        md.digest();
        record("sha-only", seconds(t0));
    }

    /** Until the MDS has purged the last transfer's file (BenchCluster.awaitPurged) and statfs shows the room. */
    private void awaitPurge(long strayBaseline) throws Exception {
        String left = BenchCluster.awaitPurged(strayBaseline, 60_000);
        if (left != null) {
            throw new IllegalStateException("large I/O: the MDS has not purged a deleted file 60 s after it was deleted ("
                    + left + ")");
        }
        long need = bytes() + SLACK;
        long have = BenchCluster.awaitAvailable(available, need, 60_000);
        if (have < need) {
            throw new IllegalStateException("large I/O: only " + (have >> 20) + " MiB available 60 s after a delete, "
                    + (need >> 20) + " MiB needed");
        }
    }

    private void writeLocalFile(Path file, long bytes) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(16).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long i = 0; i < bytes; i += block.length) {
                block[0] = (byte) (i >> 20); // no two MiB alike
                out.write(block);
            }
        }
    }

    private void curl(String what, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "300", "-H",
                "@" + work.resolve("auth.header"),
                "-w", "%{http_code} %{time_total}\\n"));
        cmd.addAll(args);
        Path out = options.logDir.resolve("large-" + what + ".log");
        double cpu0 = cpuSeconds();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("curl " + what + " failed: " + Files.readString(out));
        }
        double s = seconds(t0);
        double cpu = cpuSeconds() - cpu0;
        if (!what.equals("delete")) {
            record(what, s);
            results.append("srv/large/" + what + "-cpu", "s", new double[] {cpu});
        }
    }

    private void record(String what, double s) {
        results.append("srv/large/" + what, "s", new double[] {s});
        log(String.format(Locale.ROOT, "server: large %s of %d MiB: %.2f s (%.0f MiB/s)", what, opts.largeMib, s,
                opts.largeMib / s));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The server JVM's user + system CPU time (/proc/<pid>/stat, clock ticks of 10 ms). */
    private double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + serverJvm.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
