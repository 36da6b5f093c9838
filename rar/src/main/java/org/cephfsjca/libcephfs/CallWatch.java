package org.cephfsjca.libcephfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which native calls on watched mounts are in flight right now, since when, on which thread, with which call name and
 * path, so that a watchdog can see one that overruns ({@link CephMount#watch}). A mount that nobody watches costs one
 * volatile read per call; a watched one, a few writes to a record of the calling thread's own. Each thread's record
 * joins a concurrent set once, on its first watched call, and a call is in flight while the record names a mount:
 * putting the record into the set and taking it out again on every call cost ~100 ns (a node allocated, a bin
 * locked), more than the JNA call itself. Records of threads that ended are dropped when the watchdog looks.
 *
 * <p>Only the calls that wait for the cluster are tracked: {@code ceph_start_reclaim} and every call on a mounted
 * client (paths, files, directories, xattrs). {@code ceph_init} and {@code ceph_mount} are bounded by libcephfs itself
 * ({@code client_mount_timeout}).
 */
public final class CallWatch {

    /** Who watches a mount: the timeout its calls must keep. */
    public interface Watcher {
        /** A call in flight longer than this has overrun. */
        long timeoutNanos();

        /** Human form of the timeout for messages, e.g. {@code operationTimeoutSeconds=5 s}. */
        String describeTimeout();
    }

    /** One thread's call in flight (reused by that thread for its next call). */
    public static final class Call {
        private final Thread thread = Thread.currentThread();
        /** Non-null while a call is in flight; written last (release), so it publishes the plain fields below. */
        private volatile CephMount mount;
        private String call;
        private String subject;
        private long startNanos;
        private volatile boolean timedOut;
        private int depth;
        private boolean registered;

        /** The mount the call is on. */
        public CephMount mount() {
            return mount;
        }

        /** The libcephfs function, e.g. {@code ceph_open}. */
        public String call() {
            return call;
        }

        /** The path (or uuid) it is about. */
        public String subject() {
            return subject;
        }

        public Thread thread() {
            return thread;
        }

        /** {@link System#nanoTime()} when it started. */
        public long startNanos() {
            return startNanos;
        }

        /** Marks the call overrun: when it returns with an error, the caller gets an {@link OperationTimeoutException}. */
        public void markTimedOut() {
            timedOut = true;
        }

        public boolean timedOut() {
            return timedOut;
        }

        @Override
        public String toString() {
            return call + " " + subject + " on " + thread.getName();
        }
    }

    /**
     * How long past the timeout a caller waits for a call that a fence cannot wake ({@code ceph_start_reclaim} on a
     * client that is not mounted) before it is given the timeout anyway.
     */
    public static final long UNWAKEABLE_GRACE_MILLIS = 1500;

    private static final java.lang.invoke.VarHandle MOUNT;

    static {
        try {
            MOUNT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Call.class, "mount", CephMount.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<Call> CURRENT = ThreadLocal.withInitial(Call::new);
    /** Every thread's record that ever tracked a call, until its thread ends; in flight when it names a mount. */
    private static final Set<Call> RECORDS = ConcurrentHashMap.newKeySet();

    private CallWatch() {
    }

    /** Every call in flight on a watched mount now. */
    public static List<Call> inFlight() {
        List<Call> calls = new ArrayList<>();
        for (java.util.Iterator<Call> it = RECORDS.iterator(); it.hasNext(); ) {
            Call c = it.next();
            if (c.mount != null) {
                calls.add(c);
            } else if (!c.thread.isAlive()) {
                it.remove(); // its thread ended between calls: it never tracks one again
            }
        }
        return calls;
    }

    /** Starts tracking a call of this thread on {@code m} (nested calls on the same mount count once). */
    static void begin(CephMount m, String call, String subject) {
        Call c = CURRENT.get();
        if (c.depth > 0) {
            if (c.mount == m) {
                c.depth++;
            }
            return;
        }
        c.depth = 1;
        c.call = call;
        c.subject = subject;
        if (c.timedOut) {
            c.timedOut = false; // a read, not a fenced write, in the usual case
        }
        c.startNanos = System.nanoTime();
        // last, with release semantics (a plain store on x86, no fence): a watchdog that reads the mount sees this
        // call's start and names; it sees the store within nanoseconds, and it looks every few hundred milliseconds
        MOUNT.setRelease(c, m);
        if (!c.registered) {
            c.registered = true;
            RECORDS.add(c);
        }
    }

    /** Ends what {@link #begin} started on {@code m}. */
    static void end(CephMount m) {
        Call c = CURRENT.get();
        if (c.depth == 0 || c.mount != m) {
            return;
        }
        if (--c.depth == 0) {
            MOUNT.setRelease(c, (CephMount) null);
        }
    }

    /** The overrun call of this thread, if the call it is in now was marked timed out; else null. */
    static Call timedOutCall() {
        Call c = CURRENT.get();
        return c.depth > 0 && c.timedOut ? c : null;
    }
}
