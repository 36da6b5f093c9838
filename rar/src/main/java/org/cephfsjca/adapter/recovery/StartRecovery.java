package org.cephfsjca.adapter.recovery;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.api.RecoveryReport;

/**
 * The start-time recovery of a node: prove the previous owner of the node id dead (else fail without touching any
 * session), then reset what it left (slots and lease). Shared by the adapter's start (and rejoin) and the pre-start
 * reset (org.cephfsjca.adapter.prestart), so that both decide and reset exactly alike.
 */
public final class StartRecovery {

    private StartRecovery() {
    }

    /**
     * Checks the owner and resets. On failure the lease {@code l} is closed (its probe too: left open, its caps on the
     * lease directory would block other clients' creates there until the MDS times the session out).
     *
     * @param rejoinNote null at start; why the node was fenced, when it rejoins
     * @throws NodeIdConflictException a live owner holds the node id: nothing was reset
     */
    public static RecoveryReport checkAndReset(OwnerLease l, SessionRecovery recovery, Identity identity,
                                               String rejoinNote) throws IOException {
        return checkAndReset(l, recovery, identity, rejoinNote, new StartTimings());
    }

    /** As above, marking the phases in {@code timings}. */
    public static RecoveryReport checkAndReset(OwnerLease l, SessionRecovery recovery, Identity identity,
                                               String rejoinNote, StartTimings timings) throws IOException {
        // the reset clients initialize while the owner check waits (it mostly waits: up to 2 x leaseInterval)
        AtomicReference<SessionRecovery.Prepared> resets = new AtomicReference<>();
        String owner;
        try {
            owner = l.checkPreviousOwner(identity, mdsAnswered -> {
                timings.mark(mdsAnswered ? "probe mounted" : "no probe");
                resets.set(recovery.prepare(identity, l.enabled() ? l.uuid() : null, timings, mdsAnswered));
            });
            timings.mark("owner verdict");
        } catch (IOException | RuntimeException e) {
            if (resets.get() != null) {
                resets.get().discard();
            }
            l.close();
            throw e;
        }
        try {
            RecoveryReport r = recovery.recoverAll(resets.get(), rejoinNote == null ? owner : "rejoin after this node was "
                    + "fenced (" + rejoinNote + "); " + owner);
            timings.mark("resets done");
            String late = l.lateFinding();
            if (late != null) {
                r = new RecoveryReport(r.mode(), r.requested(), r.nodeId(), r.startedAt(), r.millis(), r.slots(),
                        r.note() == null ? late : r.note() + "; " + late);
                timings.mark("late lease read");
            }
            return r;
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
    }
}
