package org.cephfsjca.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling, within a generous bound (the machine may be loaded: a wait is a condition,
 * never a fixed sleep).
 */
public final class Await {

    private Await() {
    }

    /** Polls {@code probe} every 100 ms until {@code ok} holds; returns that value, or fails after {@code bound}. */
    public static <T> T until(String what, Duration bound, Supplier<T> probe, Predicate<T> ok) {
        long deadline = System.nanoTime() + bound.toNanos();
        T last = probe.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound.toSeconds() + " s: " + what + "; last: " + last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
            last = probe.get();
        }
        return last;
    }
}
