package org.cephfsjca.adapter.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.LockUnavailableException;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * A whole-file flock held through its own read-only file descriptor, under an owner id no other lock in this JVM
 * shares: two locks taken through the same mount exclude each other as two clients' locks do. The MDS enforces
 * the lock across every Ceph client. {@link #close()} unlocks, then closes the file.
 *
 * <p>Waiting never calls the blocking native flock: it cannot be interrupted or timed out, and a thread stuck in
 * it would hold the mount open. {@link #acquire} polls the non-blocking flock with a growing pause instead.
 */
final class FileLockImpl implements CephLock, TrackedResource {

    /** Lock owner ids: unique per lock, across all mounts of this JVM. */
    private static final AtomicLong OWNERS = new AtomicLong();
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final OpenFile of;
    private final LockMode mode;
    private final long owner;

    private FileLockImpl(OpenFile of, LockMode mode, long owner) {
        this.of = of;
        this.mode = mode;
        this.owner = owner;
    }

    /** Takes the lock if it is free now, else returns empty. */
    static Optional<CephLock> tryAcquire(SessionBinding session, ResourceTracker tracker, String path, LockMode mode)
            throws IOException {
        checkMode(mode);
        CephFile file = session.mount.open(path, OpenFlags.O_RDONLY, 0);
        try {
            long owner = OWNERS.incrementAndGet();
            if (!file.lock(mode, false, owner)) {
                file.close();
                return Optional.empty();
            }
            return Optional.of(track(new FileLockImpl(new OpenFile(file, path, session, tracker), mode, owner),
                    tracker));
        } catch (IOException | RuntimeException | Error e) {
            file.close(); // closing the descriptor also drops a lock granted on it
            throw e;
        }
    }

    /**
     * Takes the lock, polling until {@code timeout} has passed.
     *
     * @throws LockUnavailableException when the lock is still held elsewhere at the deadline
     * @throws InterruptedIOException   when the thread is interrupted while waiting (its interrupt status is kept)
     */
    static CephLock acquire(SessionBinding session, ResourceTracker tracker, String path, LockMode mode,
                            Duration timeout) throws IOException {
        checkMode(mode);
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("lock timeout must be >= 0: " + timeout);
        }
        long timeoutNanos = saturatedNanos(timeout);
        long start = System.nanoTime();
        CephFile file = session.mount.open(path, OpenFlags.O_RDONLY, 0);
        try {
            long owner = OWNERS.incrementAndGet();
            long pause = FIRST_PAUSE_NANOS;
            while (!file.lock(mode, false, owner)) {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    throw new LockUnavailableException(path, "lock " + mode + " not granted within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: held by another owner");
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException ie = new InterruptedIOException(PathNames.quote(path)
                            + ": interrupted while waiting for lock " + mode);
                    ie.initCause(e);
                    throw ie;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
            return track(new FileLockImpl(new OpenFile(file, path, session, tracker), mode, owner), tracker);
        } catch (IOException | RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    private static FileLockImpl track(FileLockImpl lock, ResourceTracker tracker) {
        tracker.register(lock); // releases the lock and throws if the connection closed meanwhile
        return lock;
    }

    @Override
    public String path() {
        return of.path;
    }

    @Override
    public LockMode mode() {
        return mode;
    }

    /** False once closed, once the connection released it, or once its session was found lost. */
    @Override
    public boolean isValid() {
        return !of.isClosed() && !of.session.hasFailed() && of.session.mount.isMounted();
    }

    @Override
    public void close() {
        if (!of.markClosed()) {
            return;
        }
        try {
            of.quietly(() -> {
                of.file.unlock(owner);
                return null;
            });
        } finally {
            of.closeFile(this); // the close drops the lock too, should the unlock have failed
        }
    }

    @Override
    public void release() {
        close();
    }

    @Override
    public boolean isLock() {
        return true;
    }

    private static void checkMode(LockMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("lock mode is null");
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "CephLock[" + of.path + ", " + mode + (isValid() ? "" : ", released") + "]";
    }
}
