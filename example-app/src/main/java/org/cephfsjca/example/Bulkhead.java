package org.cephfsjca.example;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@link #max()} requests of one kind at a time, so that one kind (slow uploads, say) cannot take every
 * pooled connection. A request over the limit waits up to {@link #waitMillis()} for a place, then fails with 503
 * {@code busy} and a {@code Retry-After}.
 */
final class Bulkhead {

    private final String kind;
    private final int max;
    private final long waitMillis;
    private final int retryAfterSeconds;
    private final Semaphore places;
    /** Requests that held a place and left it, since start: lets a client see that its request has ended. */
    private final AtomicLong finished = new AtomicLong();

    Bulkhead(String kind, int max, long waitMillis, int retryAfterSeconds) {
        this.kind = kind;
        this.max = max;
        this.waitMillis = waitMillis;
        this.retryAfterSeconds = retryAfterSeconds;
        this.places = new Semaphore(max, true);
    }

    /** A place, released by closing it (idempotent). */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    Permit enter() {
        boolean got;
        try {
            got = places.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw DocumentException.busy(kind, max, retryAfterSeconds);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                places.release();
                finished.incrementAndGet();
            }
        };
    }

    String kind() {
        return kind;
    }

    int max() {
        return max;
    }

    long waitMillis() {
        return waitMillis;
    }

    int inUse() {
        return max - places.availablePermits();
    }

    long finished() {
        return finished.get();
    }

    int waiting() {
        return places.getQueueLength();
    }
}
