package org.cephfsjca.adapter.recovery;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Which operating-system process holds a node's lease, so that a start on the same machine can prove a crashed
 * previous owner dead at once instead of waiting out the lease read's bound (500 ms by default).
 *
 * <p>The record ({@code <node directory>/owner}) is written by the short-lived probe client, which unmounts cleanly
 * right after the start: no dead session holds caps on it, so reading it never blocks on a crashed owner (unlike the
 * lease file, whose reads a crashed owner's caps hold up). It names the kernel instance ({@code boot_id}), the pid
 * namespace, the user, the pid and the process' start time. It is rewritten by every start before the lease is held,
 * so it always names the last process that passed the owner check.
 *
 * <p>The proof is one-sided: {@link Verdict#GONE} only when the reader runs in the same kernel instance, pid namespace
 * and user (so that the process would be visible to it, even under {@code hidepid}) and that pid is not running, or
 * runs a process started more than {@link #START_TOLERANCE_MILLIS} away from the recorded start (the pid was reused).
 * Anything else, including a record this reader cannot interpret, is {@link Verdict#UNKNOWN}: the lease check then
 * decides as before. A process that is gone cannot renew a lease, so GONE is safe to act on.
 */
public final class OwnerProcess {

    /** Size of the record on disk (rewritten whole). */
    static final int SIZE = 256;
    /** A start time within this of the recorded one is the same process (the two JVMs may round differently). */
    static final long START_TOLERANCE_MILLIS = 2_000;

    /** What a record says about the process it names, as seen from this process. */
    public enum Verdict {
        /** Same machine, namespace and user, and that process no longer runs: the owner is dead. */
        GONE,
        /** The process may still run, or this reader cannot tell (another machine, namespace or user). */
        UNKNOWN
    }

    private final String boot;
    private final String pidNamespace;
    private final String uid;
    private final long pid;
    private final long startMillis;

    OwnerProcess(String boot, String pidNamespace, String uid, long pid, long startMillis) {
        this.boot = boot;
        this.pidNamespace = pidNamespace;
        this.uid = uid;
        this.pid = pid;
        this.startMillis = startMillis;
    }

    /** This process, or null where the machine does not say (no Linux /proc). */
    public static OwnerProcess current() {
        String boot = bootId();
        String ns = pidNamespace();
        String uid = uid();
        ProcessHandle self = ProcessHandle.current();
        Optional<Instant> start = self.info().startInstant();
        if (boot == null || ns == null || uid == null || start.isEmpty()) {
            return null;
        }
        return new OwnerProcess(boot, ns, uid, self.pid(), start.get().toEpochMilli());
    }

    /** The record's text. */
    String text() {
        return "cephfs-jca-owner v1 boot=" + boot + " pidns=" + pidNamespace + " uid=" + uid + " pid=" + pid
                + " start=" + startMillis;
    }

    /** Parses a record; null when it is not one (empty, truncated, another format). */
    static OwnerProcess parse(String text) {
        if (text == null || !text.startsWith("cephfs-jca-owner v1 ")) {
            return null;
        }
        LeaseRecord r = LeaseRecord.parse(text);
        try {
            OwnerProcess p = new OwnerProcess(r.field("boot"), r.field("pidns"), r.field("uid"),
                    Long.parseLong(r.field("pid")), Long.parseLong(r.field("start")));
            return p.boot.equals("?") || p.pidNamespace.equals("?") || p.uid.equals("?") ? null : p;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Start of a process as {@link #startOf} reports it: running, but its start time cannot be read. */
    static final long START_UNKNOWN = Long.MIN_VALUE;

    /**
     * What this record says, as seen from {@code self} (null self: UNKNOWN). {@code startOfPid} gives a pid's start
     * time in epoch millis, null when no such process runs, {@link #START_UNKNOWN} when it runs but does not say.
     */
    Verdict judgeFrom(OwnerProcess self, java.util.function.LongFunction<Long> startOfPid) {
        if (self == null || !boot.equals(self.boot) || !pidNamespace.equals(self.pidNamespace) || !uid.equals(self.uid)) {
            return Verdict.UNKNOWN;
        }
        Long running = startOfPid.apply(pid);
        if (running == null) {
            return Verdict.GONE;
        }
        return running != START_UNKNOWN && Math.abs(running - startMillis) > START_TOLERANCE_MILLIS ? Verdict.GONE
                : Verdict.UNKNOWN;
    }

    /** What this record says about its process, seen from this process. */
    public Verdict judge() {
        return judgeFrom(current(), OwnerProcess::startOf);
    }

    /** A pid's start time in epoch millis; null when no such process runs (see {@link #judgeFrom}). */
    private static Long startOf(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return null;
        }
        return h.get().info().startInstant().map(Instant::toEpochMilli).orElse(START_UNKNOWN);
    }

    public long pid() {
        return pid;
    }

    /** Writes this record to {@code path} through {@code m}, durably (written before the lease is held). */
    void write(CephMount m, String path) throws IOException {
        try (CephFile f = m.open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644)) {
            f.write(ByteBuffer.wrap(LeaseRecord.encode(text(), SIZE)), 0);
            f.fsync(true);
        }
    }

    /** The record at {@code path}; null when there is none or it is not one. */
    static OwnerProcess read(CephMount m, String path) throws IOException {
        LeaseRecord r = LeaseRecord.read(m, path);
        return r == null ? null : parse(r.toString());
    }

    private static String bootId() {
        return firstLine(Path.of("/proc/sys/kernel/random/boot_id"));
    }

    private static String pidNamespace() {
        try {
            String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(); // pid:[4026531836]
            return ns.replaceAll("[^0-9]", "").isEmpty() ? null : ns.replaceAll("[^0-9]", "");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static String firstLine(Path p) {
        try {
            String s = Files.readString(p).trim();
            return s.isEmpty() || s.contains(" ") ? null : s;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + " (started " + Instant.ofEpochMilli(startMillis) + ")";
    }
}
