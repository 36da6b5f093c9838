package org.cephfsjca.adapter.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reuse window of a session's health probe (pure logic: no client is touched). */
class SharedSessionProbeTest {

    private static final long WINDOW = 100_000_000L;

    private final SharedSession session = new SharedSession(0, "u-0", new Identity("admin", null), null, s -> { });

    @Test
    void noProbeYetAnswersNothing() {
        assertFalse(session.probedOkWithin(WINDOW, System.nanoTime()));
        assertFalse(session.probedOkWithin(WINDOW, 0), "0 is no probe, not a probe at time 0");
    }

    @Test
    void aProbeAnswersWithinItsWindowOnly() {
        long t = -5_000; // System.nanoTime may be negative, and wraps
        session.probedOk(t);
        assertTrue(session.probedOkWithin(WINDOW, t));
        assertTrue(session.probedOkWithin(WINDOW, t + WINDOW - 1));
        assertFalse(session.probedOkWithin(WINDOW, t + WINDOW));
        session.probedOk(Long.MAX_VALUE - 10);
        assertTrue(session.probedOkWithin(WINDOW, Long.MAX_VALUE + 20), "across the wrap");
    }

    @Test
    void aProbeAtTimeZeroStillCounts() {
        session.probedOk(0);
        assertTrue(session.probedOkWithin(WINDOW, 5));
    }
}
