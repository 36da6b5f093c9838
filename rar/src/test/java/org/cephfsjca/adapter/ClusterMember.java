package org.cephfsjca.adapter;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ClusterNodeMain} child JVM as the tests drive it: start, wait for READY, read its lines, stop or kill. */
final class ClusterMember implements AutoCloseable {

    final String node;
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private ClusterMember(String node, Process process) {
        this.node = node;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (Exception ignored) {
                // the child ended
            }
        }, "member-" + node);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a member and waits (bounded) until it is READY. */
    static ClusterMember start(String prefix, String node, int slots, int locks, String dir) throws Exception {
        return start(prefix, node, slots, locks, dir, null);
    }

    /** As {@link #start(String, String, int, int, String)}; a writer to {@code writeFile} too, unless null. */
    static ClusterMember start(String prefix, String node, int slots, int locks, String dir, String writeFile)
            throws Exception {
        return start(List.of(), System.getProperty("java.class.path"), null, prefix, node, slots, locks, dir,
                writeFile);
    }

    /**
     * As {@link #start(String, String, int, int, String, String)}, with {@code wrapper} before the java command (e.g.
     * {@code runuser -u <user> --}), another class path, and another ceph.conf (null: this JVM's).
     */
    static ClusterMember start(List<String> wrapper, String classPath, String cephConf, String prefix, String node,
                               int slots, int locks, String dir, String writeFile) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(java, "-cp", classPath,
                ClusterNodeMain.class.getName(), node, Integer.toString(slots), Integer.toString(locks), dir,
                prefix));
        if (writeFile != null) {
            cmd.add(writeFile);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (cephConf != null) {
            pb.environment().put("CEPH_CONF", cephConf);
        }
        Process p = pb.start();
        ClusterMember m = new ClusterMember(node, p);
        m.await("READY", 90_000);
        return m;
    }

    /** The first line starting with {@code prefix}, waiting up to {@code millis}; fails with the child's output. */
    String await(String prefix, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lines) {
            for (;;) {
                for (String l : lines) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("member " + node + ": no '" + prefix + "' line within " + millis
                            + " ms; output:\n" + String.join("\n", lines));
                }
                lines.wait(left);
            }
        }
    }

    /** Lines starting with {@code prefix} so far. */
    List<String> linesStarting(String prefix) {
        List<String> out = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                if (l.startsWith(prefix)) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    /** Everything the child printed so far. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** A failed test's error with every member's output appended (what each JVM decided, for the reader). */
    static AssertionError failure(Throwable e, List<ClusterMember> members) {
        StringBuilder msg = new StringBuilder(String.valueOf(e.getMessage()));
        for (ClusterMember m : members) {
            msg.append("\n--- ").append(m.node).append(":\n").append(m.output());
        }
        return new AssertionError(msg.toString(), e);
    }

    /** SIGSTOP (true) or SIGCONT (false): a node paused, as by a stuck host or a debugger, then resumed. */
    void pause(boolean stop) throws Exception {
        Process k = new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO()
                .start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new AssertionError("kill " + (stop ? "-STOP" : "-CONT") + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Clean stop: closing stdin makes the member stop its adapter and exit; SIGKILL if it does not within 30 s. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        try {
            pause(false); // a member left paused by a failed test could not stop
        } catch (Exception | AssertionError ignored) {
            // gone already
        }
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
