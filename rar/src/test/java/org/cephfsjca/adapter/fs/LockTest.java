package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.LockUnavailableException;
import org.cephfsjca.libcephfs.CephMount;

/** tryLock / lock(timeout): within one mount, across two mounts, and what closing releases. */
class LockTest extends TwoMountTestSupport {

    private static String file(String name) throws Exception {
        String p = dir + "/" + name;
        try (MountedConnection c = new MountedConnection(mount, null)) {
            c.write(p, new byte[] {1});
        }
        return p;
    }

    @Test
    void exclusiveExcludesAcrossConnectionsOfOneMount() throws Exception {
        exclusionBetween(mount, mount, "same-mount");
    }

    @Test
    void exclusiveExcludesAcrossTwoMounts() throws Exception {
        exclusionBetween(mount, otherMount, "two-mounts");
    }

    private void exclusionBetween(CephMount m1, CephMount m2, String name) throws Exception {
        String p = file(name);
        try (MountedConnection a = new MountedConnection(m1, null);
             MountedConnection b = new MountedConnection(m2, null)) {
            Optional<CephLock> la = a.tryLock(p, LockMode.EXCLUSIVE);
            assertTrue(la.isPresent());
            assertTrue(la.get().isValid());
            assertEquals(p, la.get().path());
            assertEquals(LockMode.EXCLUSIVE, la.get().mode());
            assertEquals(1, a.openResourceCount());
            assertFalse(b.tryLock(p, LockMode.EXCLUSIVE).isPresent());
            assertFalse(b.tryLock(p, LockMode.SHARED).isPresent());
            assertFalse(a.tryLock(p, LockMode.EXCLUSIVE).isPresent(), "a second lock of the same connection too");
            assertEquals(0, b.openResourceCount(), "a refused tryLock leaves nothing open");
            assertEquals(1, a.openResourceCount());
            la.get().close();
            la.get().close(); // idempotent
            assertFalse(la.get().isValid());
            assertEquals(0, a.openResourceCount());
            Optional<CephLock> lb = b.tryLock(p, LockMode.EXCLUSIVE);
            assertTrue(lb.isPresent(), "free once released");
            lb.get().close();
        }
    }

    @Test
    void sharedLocksCoexistAndExcludeExclusive() throws Exception {
        String p = file("shared");
        try (MountedConnection a = new MountedConnection(mount, null);
             MountedConnection b = new MountedConnection(otherMount, null);
             MountedConnection c = new MountedConnection(mount, null)) {
            CephLock s1 = a.tryLock(p, LockMode.SHARED).orElseThrow();
            CephLock s2 = b.tryLock(p, LockMode.SHARED).orElseThrow();
            CephLock s3 = c.tryLock(p, LockMode.SHARED).orElseThrow();
            assertFalse(c.tryLock(p, LockMode.EXCLUSIVE).isPresent());
            s1.close();
            s2.close();
            assertFalse(a.tryLock(p, LockMode.EXCLUSIVE).isPresent(), "one shared holder is enough to exclude");
            s3.close();
            a.tryLock(p, LockMode.EXCLUSIVE).orElseThrow().close();
        }
    }

    @Test
    void lockTimesOutWithinABoundedTime() throws Exception {
        String p = file("timeout");
        try (MountedConnection holder = new MountedConnection(otherMount, null);
             MountedConnection waiter = new MountedConnection(mount, null)) {
            CephLock held = holder.tryLock(p, LockMode.EXCLUSIVE).orElseThrow();
            long t0 = System.nanoTime();
            LockUnavailableException e = assertThrows(LockUnavailableException.class,
                    () -> waiter.lock(p, LockMode.SHARED, Duration.ofMillis(300)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 300 && ms < 1500, "waited " + ms + " ms");
            assertEquals(p, e.getFile());
            assertTrue(e.getMessage().contains("lock SHARED not granted within 300 ms: held by another owner"),
                    e.getMessage());
            // zero: one attempt
            assertThrows(LockUnavailableException.class, () -> waiter.lock(p, LockMode.EXCLUSIVE, Duration.ZERO));
            assertEquals(0, waiter.openResourceCount(), "a timed-out wait leaves nothing open");
            assertThrows(IllegalArgumentException.class, () -> waiter.lock(p, LockMode.EXCLUSIVE,
                    Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> waiter.lock(p, LockMode.EXCLUSIVE, null));
            assertThrows(IllegalArgumentException.class, () -> waiter.lock(p, null, Duration.ZERO));
            held.close();
            waiter.lock(p, LockMode.EXCLUSIVE, Duration.ZERO).close();
        }
    }

    @Test
    void lockSucceedsOnceTheHolderReleasesOnAnotherThread() throws Exception {
        String p = file("handover");
        try (MountedConnection holder = new MountedConnection(otherMount, null);
             MountedConnection waiter = new MountedConnection(mount, null)) {
            CephLock held = holder.tryLock(p, LockMode.EXCLUSIVE).orElseThrow();
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Long> releasedAt = CompletableFuture.supplyAsync(() -> {
                try {
                    waiting.await();
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                held.close();
                return System.nanoTime();
            });
            waiting.countDown();
            long t0 = System.nanoTime();
            try (CephLock got = waiter.lock(p, LockMode.EXCLUSIVE, Duration.ofSeconds(30))) {
                long now = System.nanoTime();
                assertTrue(got.isValid());
                long afterRelease = TimeUnit.NANOSECONDS.toMillis(now - releasedAt.get(5, TimeUnit.SECONDS));
                assertTrue(afterRelease < 2000, "granted " + afterRelease + " ms after the release");
                assertTrue(TimeUnit.NANOSECONDS.toMillis(now - t0) >= 350);
                assertFalse(holder.tryLock(p, LockMode.SHARED).isPresent());
            }
        }
    }

    @Test
    void waitingIsInterruptible() throws Exception {
        String p = file("interrupt");
        try (MountedConnection holder = new MountedConnection(otherMount, null);
             MountedConnection waiter = new MountedConnection(mount, null)) {
            CephLock held = holder.tryLock(p, LockMode.EXCLUSIVE).orElseThrow();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    waiter.lock(p, LockMode.EXCLUSIVE, Duration.ofMinutes(5));
                } catch (Throwable e) {
                    outcome.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            Thread.sleep(300);
            long t0 = System.nanoTime();
            t.interrupt();
            t.join(5000);
            assertFalse(t.isAlive());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000);
            assertTrue(outcome.get() instanceof InterruptedIOException, String.valueOf(outcome.get()));
            assertTrue(stillInterrupted.get(), "the interrupt status is kept");
            assertEquals(0, waiter.openResourceCount());
            held.close();
        }
    }

    @Test
    void closingTheConnectionReleasesItsLocks() throws Exception {
        String p1 = file("conn-close-1");
        String p2 = file("conn-close-2");
        MountedConnection holder = new MountedConnection(mount, null);
        CephLock l1 = holder.tryLock(p1, LockMode.EXCLUSIVE).orElseThrow();
        CephLock l2 = holder.lock(p2, LockMode.SHARED, Duration.ofSeconds(1));
        try (MountedConnection other = new MountedConnection(otherMount, null)) {
            assertFalse(other.tryLock(p1, LockMode.SHARED).isPresent());
            assertFalse(other.tryLock(p2, LockMode.EXCLUSIVE).isPresent());
            holder.close();
            assertFalse(l1.isValid());
            assertFalse(l2.isValid());
            // at once: no waiting
            other.tryLock(p1, LockMode.EXCLUSIVE).orElseThrow(() -> new AssertionError("p1 still locked"));
            other.tryLock(p2, LockMode.EXCLUSIVE).orElseThrow(() -> new AssertionError("p2 still locked"));
            l1.close(); // harmless after the connection released it
        }
    }

    @Test
    void lockOnAMissingFile() throws Exception {
        try (MountedConnection c = new MountedConnection(mount, null)) {
            assertThrows(NoSuchFileException.class, () -> c.tryLock(dir + "/missing", LockMode.EXCLUSIVE));
            assertThrows(NoSuchFileException.class, () -> c.lock(dir + "/missing", LockMode.SHARED,
                    Duration.ofSeconds(1)));
            assertEquals(0, c.openResourceCount());
        }
    }
}
