package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Pure logic: the in-flight counting that makes close() safe against concurrent calls. */
class NativeGuardTest {

    @Test
    void closeWithNothingInFlightFreesAtOnceAndOnlyOnce() {
        AtomicInteger frees = new AtomicInteger();
        NativeGuard g = new NativeGuard("thing", frees::incrementAndGet);
        assertTrue(g.close());
        assertFalse(g.close());
        assertEquals(1, frees.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::enter);
        assertEquals("thing is closed", e.getMessage());
    }

    @Test
    void closeDuringACallDefersTheFreeToTheLastCaller() {
        AtomicInteger frees = new AtomicInteger();
        NativeGuard g = new NativeGuard("thing", frees::incrementAndGet);
        g.enter();
        g.enter();
        g.close();
        assertEquals(0, frees.get());
        g.exit();
        assertEquals(0, frees.get());
        g.exit();
        assertEquals(1, frees.get());
    }

    @Test
    void freesExactlyOnceUnderContention() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger frees = new AtomicInteger();
            NativeGuard g = new NativeGuard("thing", frees::incrementAndGet);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 10_000; i++) {
                        try {
                            g.enter();
                        } catch (IllegalStateException closed) {
                            return;
                        }
                        g.exit();
                    }
                });
                threads[t].start();
            }
            go.countDown();
            g.close();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, frees.get(), "round " + round);
            assertEquals(0, g.inFlight());
        }
    }

    @Test
    void drainWaitsForCallsAndBlocksNewOnes() throws Exception {
        NativeGuard g = new NativeGuard("mount", () -> { });
        g.enter();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // exit anyway
            }
            g.exit();
        });
        t.start();
        AtomicInteger ran = new AtomicInteger();
        g.drain(5, TimeUnit.SECONDS, () -> {
            assertEquals(0, g.inFlight());
            assertThrows(IllegalStateException.class, g::enter);
            ran.incrementAndGet();
        });
        assertEquals(1, ran.get());
        g.enter(); // admitted again afterwards
        g.exit();
    }

    @Test
    void drainTimesOutWhenACallNeverReturns() {
        NativeGuard g = new NativeGuard("mount", () -> { });
        g.enter();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> g.drain(50, TimeUnit.MILLISECONDS, () -> { }));
        assertTrue(e.getMessage().contains("still in flight"), e.getMessage());
        g.exit();
    }

    @Test
    void closeDuringDrainFreesAfterTheDrain() {
        AtomicInteger frees = new AtomicInteger();
        NativeGuard g = new NativeGuard("mount", frees::incrementAndGet);
        g.drain(1, TimeUnit.SECONDS, () -> {
            g.close();
            assertEquals(0, frees.get(), "must not free while the drain action runs");
        });
        assertEquals(1, frees.get());
    }
}
