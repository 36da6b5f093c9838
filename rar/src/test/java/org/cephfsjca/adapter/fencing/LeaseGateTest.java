package org.cephfsjca.adapter.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.Errno;
import org.cephfsjca.api.NodeFencedException;

/** Pure logic: when the gate admits, waits for a renewal, or refuses, and what it says. */
class LeaseGateTest {

    @Test
    void aFreshLeaseAdmitsWithoutAskingForARenewal() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        LeaseGate g = new LeaseGate("n1", 1_000, 200, asked::incrementAndGet);
        g.admit("ceph_open", "/a");
        assertEquals(0, asked.get());
        assertFalse(g.refusing());
    }

    @Test
    void aStaleLeaseWaitsForTheRenewalItAsksFor() throws Exception {
        LeaseGate[] gate = new LeaseGate[1];
        AtomicInteger asked = new AtomicInteger();
        gate[0] = new LeaseGate("n1", 50, 2_000, () -> {
            asked.incrementAndGet();
            long started = System.nanoTime();
            new Thread(() -> gate[0].renewed(started)).start(); // the heartbeat thread, a moment later
        });
        Thread.sleep(80);
        assertTrue(gate[0].refusing());
        gate[0].admit("ceph_write", "/a"); // admitted once the renewal lands
        assertEquals(1, asked.get());
    }

    @Test
    void aStaleLeaseWithNoRenewalRefusesWithEagainNamingTheNodeAndTheBound() throws Exception {
        LeaseGate g = new LeaseGate("n1", 50, 100, () -> { });
        Thread.sleep(80);
        long t0 = System.nanoTime();
        NodeFencedException e = assertThrows(NodeFencedException.class, () -> g.admit("ceph_write", "/docs/a"));
        assertTrue(System.nanoTime() - t0 >= 90_000_000L, "it waited for the renewal first");
        assertEquals(Errno.EAGAIN, e.errno());
        assertFalse(e.fenced());
        assertEquals("/docs/a", e.getFile());
        assertTrue(e.getMessage().contains("node n1 could not renew its lease for"), e.getMessage());
        assertTrue(e.getMessage().contains("self-fencing bound 50 ms"), e.getMessage());
    }

    @Test
    void aFencedNodeRefusesAtOnceUntilReopened() throws Exception {
        LeaseGate g = new LeaseGate("n1", 1_000, 5_000, () -> { });
        g.fence("its lease session was evicted");
        long t0 = System.nanoTime();
        NodeFencedException e = assertThrows(NodeFencedException.class, () -> g.admit("ceph_open", "/a"));
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "no wait");
        assertEquals(Errno.ESHUTDOWN, e.errno());
        assertTrue(e.fenced());
        assertTrue(e.getMessage().contains("node n1 was fenced: its lease session was evicted"), e.getMessage());
        assertTrue(g.refusing());
        g.reopen();
        g.admit("ceph_open", "/a");
        assertFalse(g.refusing());
    }

    @Test
    void fencingWakesACallWaitingForARenewal() throws Exception {
        LeaseGate g = new LeaseGate("n1", 20, 10_000, () -> { });
        Thread.sleep(40);
        new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // not interrupted
            }
            g.fence("reset by peer n2");
        }).start();
        long t0 = System.nanoTime();
        NodeFencedException e = assertThrows(NodeFencedException.class, () -> g.admit("ceph_write", "/a"));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "woken by the fencing, not by the wait's end");
        assertEquals(Errno.ESHUTDOWN, e.errno());
    }

    @Test
    void zeroBoundDisablesSelfFencingOnly() throws Exception {
        LeaseGate g = new LeaseGate("n1", 0, 100, () -> { });
        Thread.sleep(20);
        g.admit("ceph_open", "/a");
        g.fence("x");
        assertThrows(NodeFencedException.class, () -> g.admit("ceph_open", "/a"));
    }
}
