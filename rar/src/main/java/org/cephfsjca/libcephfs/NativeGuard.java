package org.cephfsjca.libcephfs;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a native resource alive while calls use it, so that closing it on one thread can never free memory
 * another thread is still inside libcephfs with.
 *
 * <p>Every native call is bracketed by {@link #enter()} and {@link #exit()}. {@link #close()} marks the
 * resource closed at once (new calls fail with {@link IllegalStateException}) and the free runs exactly once,
 * on whichever thread is last out: the closer when nothing is in flight, otherwise the last caller to exit.
 * Closing never blocks, even when a call in flight does (a blocking flock, say). {@link #drain} offers the
 * opposite trade for state changes such as unmount that must not overlap with calls: it stops new callers and
 * waits, bounded, for the ones inside.
 *
 * <p>State is one {@code long}: bits 0-47 count calls in flight; bit 62 = closed; bit 61 = draining.
 */
final class NativeGuard {

    private static final long CLOSED = 1L << 62;
    private static final long DRAINING = 1L << 61;
    private static final long COUNT_MASK = (1L << 48) - 1;

    private final AtomicLong state = new AtomicLong();
    private final String what;
    private final Runnable free;

    /**
     * @param what named in the exception thrown for use after close (e.g. "mount ceph-jca-node1-0")
     * @param free releases the native resource; runs at most once
     */
    NativeGuard(String what, Runnable free) {
        this.what = what;
        this.free = free;
    }

    /** Registers a call in flight. Throws if the resource is closed or draining. */
    void enter() {
        for (;;) {
            long s = state.get();
            if ((s & (CLOSED | DRAINING)) != 0) {
                throw new IllegalStateException(what + ((s & CLOSED) != 0 ? " is closed" : " is being unmounted"));
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /** Ends a call started with {@link #enter()}; frees the resource if it was closed meanwhile and this was the last call. */
    void exit() {
        long s = state.decrementAndGet();
        if (s == CLOSED) {
            // closed, nothing in flight: we are the last one out, and the only thread that sees exactly CLOSED here
            runFree();
        }
    }

    /**
     * Closes the resource; idempotent and non-blocking. Returns true if this call closed it (first close).
     */
    boolean close() {
        for (;;) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            long next = s | CLOSED;
            if (state.compareAndSet(s, next)) {
                if ((next & COUNT_MASK) == 0 && (next & DRAINING) == 0) {
                    runFree();
                }
                return true;
            }
        }
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Calls in flight right now (for tests and diagnostics). */
    long inFlight() {
        return state.get() & COUNT_MASK;
    }

    /**
     * Stops new calls and waits until the ones in flight finish, then runs {@code action} with no call
     * in flight, then admits calls again. Fails with {@link IllegalStateException} if the resource is closed,
     * already draining, or calls are still in flight after {@code timeout}.
     */
    void drain(long timeout, TimeUnit unit, Runnable action) {
        for (;;) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(what + " is closed");
            }
            if ((s & DRAINING) != 0) {
                throw new IllegalStateException(what + " is being unmounted by another thread");
            }
            if (state.compareAndSet(s, s | DRAINING)) {
                break;
            }
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        try {
            long parkNanos = 10_000;
            while ((state.get() & COUNT_MASK) != 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(what + ": " + (state.get() & COUNT_MASK)
                            + " call(s) still in flight after " + unit.toMillis(timeout) + " ms");
                }
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, 10_000_000);
            }
            action.run();
        } finally {
            long after = state.updateAndGet(v -> v & ~DRAINING);
            if (after == CLOSED) {
                // close() arrived while we drained and left the free to us
                runFree();
            }
        }
    }

    private void runFree() {
        free.run();
    }
}
