package org.cephfsjca.adapter.recovery;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Finds out what a reset that answered {@code EPERM} really did.
 *
 * <p>Ceph 16.2.15 answers {@code ceph_start_reclaim(uuid, CEPH_RECLAIM_RESET)} with {@code EPERM} and evicts the
 * session anyway (a missing return in {@code Server::handle_client_reclaim}) in two measured cases: after an MDS
 * restart (sessions replayed from the journal lose their auth name, so even the owner's own user is "another" one),
 * and when the reset comes from another cephx user. So EPERM does not say whether the session is gone: this check
 * asks the MDS in the only way a client can. The MDS refuses a session open whose uuid another session still holds
 * ({@code ceph_mount} fails with {@code EPERM}, "duplicated session uuid"), so a fresh client of the same identity
 * mounting with the uuid succeeds only once the old session is gone. It tries until the deadline (the eviction is
 * asynchronous: the MDS blocklists the client first, seconds at most), then unmounts what it mounted before it
 * answers, so that a {@link Verdict#EVICTED} answer means the uuid is free again.
 *
 * <p>What the MDS does meanwhile matters: while it waits in {@code up:clientreplay} for sessions to be reclaimed
 * (after a restart), a mount neither succeeds nor fails, it waits (up to {@code mountTimeoutSeconds}) until the MDS is
 * active. The resets of all the dead sessions run in parallel, so the MDS goes active once they all took effect, and
 * the checks then answer. A check that runs out of time says what it last saw.
 *
 * <p>Never leaves its session mounted: a mount that succeeds is unmounted on the same thread before the answer (about
 * one client tick, ~1 s), whatever the deadline; if the process dies in between, the session has the slot's uuid, so
 * the next start (or the slot's reset before its next mount) resets it like any other.
 */
final class EvictionCheck {

    /** Pause between two mount attempts (each attempt is a new client: ~20 ms of ceph_create + ceph_init). */
    static final long RETRY_MILLIS = 200;

    /** What the check found. */
    enum Verdict {
        /** a mount with the uuid succeeded (and was unmounted): the old session is gone */
        EVICTED,
        /** the MDS refused the last mount with EPERM (duplicated session uuid): the old session is still there */
        STILL_PRESENT,
        /** no attempt answered either way before the deadline (no active MDS, or an error) */
        UNKNOWN
    }

    /** The verdict and a sentence that says how it was reached (uuid, attempts, time, what the last attempt saw). */
    record Result(Verdict verdict, String detail) {
    }

    private final SessionOpener opener;

    EvictionCheck(SessionOpener opener) {
        this.opener = opener;
    }

    /**
     * Mounts fresh clients of {@code identity} with {@code uuid} until one succeeds (then unmounts it), until the MDS
     * has refused them up to {@code deadlineNanos} ({@link System#nanoTime()}), or until {@code abandoned}. A single
     * attempt is bounded by client_mount_timeout, not by the deadline: the caller bounds its own wait.
     */
    Result verify(Identity identity, String uuid, long deadlineNanos, BooleanSupplier abandoned) {
        long t0 = System.nanoTime();
        int attempts = 0;
        Verdict verdict = Verdict.UNKNOWN;
        String last = "no attempt made (no time left)";
        while (System.nanoTime() < deadlineNanos && !abandoned.getAsBoolean()) {
            attempts++;
            CephMount m;
            try {
                m = opener.initialized(identity);
            } catch (IOException | RuntimeException e) {
                last = "a client for the check could not be made: " + e.getMessage();
                verdict = Verdict.UNKNOWN;
                if (!pause(deadlineNanos)) {
                    break;
                }
                continue;
            }
            try {
                opener.mount(m, uuid); // closes m on failure
            } catch (AccessDeniedException e) {
                verdict = Verdict.STILL_PRESENT;
                last = "the MDS refused a mount with the uuid (" + e.getMessage() + ": duplicated session uuid)";
                if (!pause(deadlineNanos)) {
                    break;
                }
                continue;
            } catch (CephFileSystemException e) {
                verdict = e.errno() == Errno.EPERM ? Verdict.STILL_PRESENT : Verdict.UNKNOWN;
                last = "a mount with the uuid failed: " + e.getMessage()
                        + (e.errno() == Errno.ETIMEDOUT ? " (no active MDS answered)" : "");
                if (!pause(deadlineNanos)) {
                    break;
                }
                continue;
            } catch (IOException | RuntimeException e) {
                verdict = Verdict.UNKNOWN;
                last = "a mount with the uuid failed: " + e;
                if (!pause(deadlineNanos)) {
                    break;
                }
                continue;
            }
            long mountedAt = System.nanoTime();
            String unmount = unmount(m);
            return new Result(Verdict.EVICTED, "a mount with uuid " + uuid + " succeeded " + millis(mountedAt - t0)
                    + " ms after the reset answered (attempt " + attempts + ")" + unmount);
        }
        return new Result(verdict, last + "; " + attempts + " attempt" + (attempts == 1 ? "" : "s") + " in "
                + millis(System.nanoTime() - t0) + " ms");
    }

    /**
     * Ends the check's own session before the answer: ceph_unmount closes it at the MDS (the uuid is free once it
     * returns; about one client tick, ~1 s), then the handle is released. The unmount runs on a thread of its own,
     * waited for at most {@value #UNMOUNT_BOUND_SECONDS} s: a session that an MDS stops answering right after the
     * mount must not hold recovery. Says how long it took, or that it did not return (the handle is then released by
     * that thread when libcephfs returns, and the session, this identity's own, is evicted by the slot's next reset).
     */
    private static String unmount(CephMount m) {
        long u0 = System.nanoTime();
        java.util.concurrent.FutureTask<Void> unmount = new java.util.concurrent.FutureTask<>(() -> {
            try {
                m.unmount();
            } finally {
                m.close();
            }
            return null;
        });
        Thread t = new Thread(unmount, "cephfs-jca-eviction-check-unmount");
        t.setDaemon(true);
        t.start();
        try {
            unmount.get(UNMOUNT_BOUND_SECONDS, TimeUnit.SECONDS);
            return "; the check's session was unmounted in " + millis(System.nanoTime() - u0) + " ms";
        } catch (java.util.concurrent.TimeoutException e) {
            return "; the check's own session did not unmount within " + UNMOUNT_BOUND_SECONDS + " s (it is released "
                    + "when libcephfs returns; the slot's next reset evicts it)";
        } catch (java.util.concurrent.ExecutionException e) {
            return "; the check's own session could not be unmounted (" + e.getCause().getMessage() + "): the slot's "
                    + "next reset evicts it";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "; interrupted while the check's own session was unmounting (it is released when libcephfs "
                    + "returns)";
        }
    }

    /** Longest the check waits for its own session's unmount. */
    static final int UNMOUNT_BOUND_SECONDS = 10;

    /** Sleeps {@link #RETRY_MILLIS} or until the deadline; false if no time is left or the thread was interrupted. */
    private static boolean pause(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            Thread.sleep(Math.min(RETRY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            return System.nanoTime() < deadlineNanos;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
