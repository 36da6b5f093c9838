package org.cephfsjca.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * H or R in a child JVM ({@link HandoffWorkerMain}), driven over its stdin/stdout with one line per command and
 * reply, so that the two sides of a hand-off are separate processes (as two application servers are). The waits
 * here are for the child's replies; HandoffBench bounds each batch as a whole.
 */
final class HandoffChild implements HandoffHolder, HandoffReader {

    private static final String EOF = "\u0000EOF";
    private final String name;
    private final Path log;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private HandoffChild(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    replies.add(l);
                }
            } catch (IOException e) {
                // the child ended
            } finally {
                replies.add(EOF);
            }
        }, "handoff-child-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code HandoffWorkerMain <args>} and waits (bounded) until it has mounted and says {@code UP}.
     */
    static HandoffChild start(Children children, String name, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(children.java(HandoffWorkerMain.class));
        cmd.addAll(args);
        Path log = children.log(name);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        HandoffChild c = new HandoffChild(name, log, p);
        try {
            String up = c.replies.poll(HandoffBench.BATCH_SECONDS, TimeUnit.SECONDS);
            if (up == null || !up.equals("UP")) {
                throw new IllegalStateException(name + " did not come up within " + HandoffBench.BATCH_SECONDS
                        + " s (" + (up == null ? "no reply" : up.equals(EOF) ? "it ended" : up) + "); see " + log);
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void prepare(String dir) throws Exception {
        send("MKDIR " + dir);
        await("PREPARED");
    }

    /** Sends the batch; the child answers {@code READY <path>} for each file once it holds all of them. */
    @Override
    public void hold(List<String> paths, boolean lock) throws Exception {
        send("HOLD " + (lock ? "1" : "0") + " " + String.join(" ", paths));
        for (String p : paths) {
            String ready = await("READY ");
            if (!ready.equals("READY " + p)) {
                throw new IllegalStateException(name + ": expected READY " + p + ", got " + ready);
            }
        }
    }

    @Override
    public void release() throws Exception {
        send("RELEASE");
        await("RELEASED");
    }

    /** The child answers {@code TIMES <path> <statNs> <readNs>} per file, then {@code MEASURED}. */
    @Override
    public long[][] measure(List<String> paths) throws Exception {
        send("MEASURE " + String.join(" ", paths));
        long[][] times = new long[paths.size()][];
        for (int i = 0; i < paths.size(); i++) {
            String[] f = await("TIMES ").split(" ");
            if (f.length != 4 || !f[1].equals(paths.get(i))) {
                throw new IllegalStateException(name + ": unexpected reply " + String.join(" ", f));
            }
            times[i] = new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
        }
        await("MEASURED");
        return times;
    }

    private void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** The next reply starting with {@code prefix}; an {@code ERROR} reply or the child's end fails. */
    private String await(String prefix) throws InterruptedException {
        for (;;) {
            String l = replies.take();
            if (l.equals(EOF)) {
                throw new IllegalStateException(name + " ended unexpectedly; see " + log);
            }
            if (l.startsWith("ERROR")) {
                throw new IllegalStateException(name + ": " + l + " (see " + log + ")");
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    /** Asks the child to release, unmount and exit; kills it if it has not within 20 s. */
    @Override
    public void close() {
        try {
            send("QUIT");
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
