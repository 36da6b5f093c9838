package org.cephfsjca.adapter.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BeatFailuresTest {

    private static final long S = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final BeatFailures f = new BeatFailures("n1", w -> lines.add("W " + w), i -> lines.add("I " + i));

    @Test
    void aLastingCauseIsToldOnceThenOnceAMinute() {
        String enospc = "/.cephfs-jca/x/lease: ceph_write: ENOSPC (No space left on device)";
        assertTrue(f.failed(enospc, 0));
        for (int beat = 1; beat <= 240; beat++) { // a beat every 500 ms for 2 minutes
            f.failed(enospc, beat * S / 2);
        }
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("W cephfs-jca: lease heartbeat of node n1 failed: " + enospc), lines.get(0));
        assertEquals("W cephfs-jca: lease heartbeat of node n1 still failing after 60 s (121 beats): " + enospc,
                lines.get(1));
        assertTrue(lines.get(2).contains("still failing after 120 s (241 beats)"), lines.get(2));
    }

    @Test
    void aNewCauseIsToldAtOnceAndRecoveryIsSaid() {
        assertTrue(f.failed("ENOSPC", 0));
        assertFalse(f.failed("ENOSPC", S));
        assertTrue(f.failed("ETIMEDOUT", 2 * S));
        assertTrue(lines.get(1).contains("failed: ETIMEDOUT (failing for 2 s, 3 beats)"), lines.get(1));
        f.succeeded(3 * S);
        assertEquals("I cephfs-jca: lease heartbeat of node n1 renewed again after 3 s and 3 failed beats", lines.get(2));
        f.succeeded(4 * S);
        assertEquals(3, lines.size(), "a beat that succeeds after successes says nothing");
        assertTrue(f.failed("ENOSPC", 5 * S), "a failure after a recovery is told again");
        assertFalse(lines.get(3).contains("failing for"), lines.get(3));
    }
}
