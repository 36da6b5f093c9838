package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cephfsjca.it.ItEnv;

/**
 * Freezes the test cluster's monitor (SIGSTOP), as scripts/ceph-cluster.sh pause-mds does for the MDS: the process
 * stays, nothing it should answer is answered. A guard process resumes it after a bound whatever happens to the test
 * JVM; {@link #close()} resumes it at once. Only the cluster's own monitor: the pid comes from its pid file in the
 * cluster's run directory (next to ceph.conf) and must be a ceph-mon.
 */
final class MonitorFreeze implements AutoCloseable {

    private final long pid;
    private final Process guard;

    private MonitorFreeze(long pid, Process guard) {
        this.pid = pid;
        this.guard = guard;
    }

    /** Freezes the monitor now; the guard resumes it after {@code boundSeconds}. */
    static MonitorFreeze freeze(int boundSeconds) {
        long pid = monitorPid();
        try {
            Process guard = new ProcessBuilder("setsid", "bash", "-c", "sleep " + boundSeconds + "; kill -CONT " + pid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            signal("-STOP", pid);
            System.out.printf("[it] monitor (pid %d) frozen; the guard resumes it after %d s%n", pid, boundSeconds);
            return new MonitorFreeze(pid, guard);
        } catch (IOException e) {
            throw new AssertionError("cannot start the monitor's guard: " + e, e);
        }
    }

    @Override
    public void close() {
        signal("-CONT", pid);
        guard.destroy();
        System.out.printf("[it] monitor (pid %d) resumed%n", pid);
    }

    private static long monitorPid() {
        Path runDir = Path.of(ItEnv.cephConf()).toAbsolutePath().getParent().resolve("run");
        Path pidFile = runDir.resolve("mon.a.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
            if (!cmd.contains("ceph-mon")) {
                fail("pid " + pid + " of " + pidFile + " is not a ceph-mon: " + cmd);
            }
            return pid;
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("cannot find the test cluster's monitor through " + pidFile
                    + " (a cluster made by scripts/ceph-cluster.sh is needed): " + e, e);
        }
    }

    private static void signal(String sig, long pid) {
        try {
            Process p = new ProcessBuilder(List.of("kill", sig, Long.toString(pid))).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("kill " + sig + " " + pid + " failed: " + new String(p.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill " + sig + " " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
