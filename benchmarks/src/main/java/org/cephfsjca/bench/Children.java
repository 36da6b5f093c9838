package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.daemon;
import static org.cephfsjca.bench.BenchLog.log;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's child processes: every implementation runs in a process of its own (fresh JIT, fresh mounts),
 * reports on stdout, logs to {@code <logDir>/<name>.log}, and is bounded in time.
 */
final class Children {

    private final List<String> jvmArgs;
    private final Path logDir;

    Children(List<String> jvmArgs, Path logDir) throws IOException {
        this.jvmArgs = jvmArgs;
        this.logDir = logDir;
        if (Files.isDirectory(logDir)) {
            try (var old = Files.list(logDir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(logDir);
    }

    Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    /** The command line of a child JVM running {@code main} with this harness's class path. */
    List<String> java(Class<?> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        // The slow operations (create, lock: ~2,000/s) would otherwise still run interpreted or C1-compiled during
        // the measurement: C2 compiles after ~15,000 calls. Compiling 20x sooner gives the same C2 code a long-running
        // server runs, within the warm-up.
        // AlwaysPreTouch: the heap's pages are touched once at start, as a long-running server's are. Without it every
        // fresh eden page costs a page fault (zeroing included) on the allocating thread: the listing of 10,000 entries
        // (~1 MB of objects) paid ~600 us of kernel time per listing for it in a 2.5 s run (perf), ~15% of its CPU.
        cmd.addAll(List.of("-Xms512m", "-Xmx512m", "-XX:CompileThresholdScaling=0.05", "-XX:+AlwaysPreTouch",
                "-Djava.library.path=/usr/lib/jni"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return cmd;
    }

    /** Runs a child to its end (bounded); returns its stdout lines; its stderr goes to its log file. */
    List<String> run(String name, List<String> cmd, int timeoutSeconds) throws Exception {
        Path err = log(name);
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                    if (l.startsWith("RESULT") || l.startsWith("POOL") || l.startsWith("CPU")) {
                        log("  " + l.replace('\t', ' '));
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the JVM's shutdown is not enough to unmount, but the C program and mounts end
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + err);
        }
        reader.join();
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "):\n" + tail(err, 30));
        }
        return lines;
    }

    /** Waits (bounded) for the child's first stdout line starting with {@code prefix}. */
    static String awaitLine(Process p, String prefix, int timeoutSeconds) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        ExecutorService e = Executors.newSingleThreadExecutor(daemon("await"));
        try {
            Future<String> f = e.submit(() -> {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
                return null;
            });
            String line = f.get(timeoutSeconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("child ended before " + prefix);
            }
            return line;
        } finally {
            e.shutdownNow();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
