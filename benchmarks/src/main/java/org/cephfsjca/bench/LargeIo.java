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
import java.util.concurrent.TimeUnit;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephFileChannel;

/**
 * Large I/O through the app against the adapter in Java SE: one {@code largeMib} upload (curl -T, PUT) and download
 * (curl, GET) through the example app, with the server JVM's CPU time over each; then the same bytes through the
 * adapter in SE, once with the app's copy path (256 KiB byte[] steps, SHA-256 of every byte, fsync at close; reads in
 * 256 KiB heap-buffer steps), and the SHA-256 alone in memory. Results: {@code srv/large/<what>} (s), {@code
 * srv/large/<what>-cpu} (server CPU s).
 */
final class LargeIo {

    static final int APP_BUFFER = 256 * 1024; // DocumentStore.BUFFER of the example app

    private final ServerOptions opts;
    private final Results results;
    private final String apiUrl;
    private final WildFlyServer.User user;
    private final Path work;
    private final Path logDir;
    private final ProcessHandle serverJvm;
    private final String seDir;
    private final Integer leaseIntervalMs;
    String skipped;

    LargeIo(ServerOptions opts, Results results, String apiUrl, WildFlyServer.User user, Path work, Path logDir,
            ProcessHandle serverJvm, String seDir, Integer leaseIntervalMs) {
        this.opts = opts;
        this.results = results;
        this.apiUrl = apiUrl;
        this.user = user;
        this.work = work;
        this.logDir = logDir;
        this.serverJvm = serverJvm;
        this.seDir = seDir;
        this.leaseIntervalMs = leaseIntervalMs;
    }

    void run(long availableBytes) throws Exception {
        long bytes = (long) opts.largeMib << 20;
        if (availableBytes < bytes + (256L << 20)) {
            skipped = "not run: the cluster has " + (availableBytes >> 20) + " MiB available, " + opts.largeMib
                    + " MiB + 256 MiB needed";
            log("server: large I/O " + skipped);
            return;
        }
        Path file = work.resolve("large.bin");
        Path header = work.resolve("auth.header"); // curl -H @file: the credentials stay off the command line
        try {
            writeLocalFile(file, bytes);
            Files.writeString(header, "Authorization: " + AppClient.basic(user) + "\n");
            Files.setPosixFilePermissions(header, PosixFilePermissions.fromString("rw-------"));
            String url = apiUrl + AppClient.doc("large/large.bin");
            curl("upload", List.of("-T", file.toString(), url), bytes);
            curl("download", List.of("-o", "/dev/null", url), bytes);
            curl("delete", List.of("-X", "DELETE", url), 0);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(header);
        }
        try (BenchAdapter se = BenchAdapter.start(BenchAdapter.freshNodeId("large"), 2, leaseIntervalMs);
             CephConnection c = se.factory.getConnection()) {
            c.mkdirs(seDir);
            String path = seDir + "/large.bin";
            seWrite(c, path, bytes, "se-write-sha");
            seRead(c, path, bytes, "se-read");
            c.delete(path);
        }
        shaOnly(bytes);
    }

    /**
     * The app's SHA-256 of an upload alone, in memory (256 KiB steps): how much of the write path it is. Not a
     * second write of the whole size: the test cluster's memstore OSD grows with every GiB written (an OSD of 4.2 GB
     * RSS was OOM-killed on the shared machine after a few runs).
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
        se("sha-only", bytes, t0);
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

    private void curl(String what, List<String> args, long bytes) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "300", "-H",
                "@" + work.resolve("auth.header"),
                "-w", "%{http_code} %{time_total}\\n"));
        cmd.addAll(args);
        Path out = logDir.resolve("large-" + what + ".log");
        double cpu0 = cpuSeconds();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("curl " + what + " failed: " + Files.readString(out));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = cpuSeconds() - cpu0;
        if (bytes > 0) {
            results.put("srv/large/" + what, "s", new double[] {s});
            results.put("srv/large/" + what + "-cpu", "s", new double[] {cpu});
            log(String.format(Locale.ROOT, "server: large %s of %d MiB through the app: %.2f s (%.0f MiB/s), server CPU "
                    + "%.2f s", what, bytes >> 20, s, (bytes >> 20) / s, cpu));
        }
    }

    private void seWrite(CephConnection c, String path, long bytes, String what) throws Exception {
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
        se(what, bytes, t0);
    }

    private void seRead(CephConnection c, String path, long bytes, String what) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(APP_BUFFER);
        long t0 = System.nanoTime();
        long total = 0;
        try (CephFileChannel ch = c.openChannel(path)) {
            for (int n; (n = ch.read(buf.clear(), total)) > 0; ) {
                total += n;
            }
        }
        if (total != bytes) {
            throw new IllegalStateException("read " + total + " of " + bytes + " bytes");
        }
        se(what, bytes, t0);
    }

    private void se(String what, long bytes, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        results.put("srv/large/" + what, "s", new double[] {s});
        log(String.format(Locale.ROOT, "server: large %s of %d MiB, adapter in SE: %.2f s (%.0f MiB/s)", what,
                bytes >> 20, s, (bytes >> 20) / s));
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
