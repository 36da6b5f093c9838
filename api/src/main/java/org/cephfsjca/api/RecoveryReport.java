package org.cephfsjca.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The result of the adapter's start-time recovery: the sessions of this node's slot uuids that a previous,
 * crashed incarnation may have left.
 *
 * @param mode        the recovery mode that ran (after any fallback from RECLAIM)
 * @param requested   the mode configured
 * @param nodeId      this server's node id
 * @param startedAt   when recovery began
 * @param millis      wall time of the whole recovery
 * @param slots       per-slot outcomes, by slot number
 * @param note        why a fallback happened or why recovery was skipped, else null
 */
public record RecoveryReport(RecoveryMode mode, RecoveryMode requested, String nodeId, Instant startedAt, long millis,
                             List<SlotOutcome> slots, String note) implements Serializable {

    public RecoveryReport {
        slots = List.copyOf(slots);
    }

    public int slotsChecked() {
        return (int) slots.stream().filter(s -> s.result() != SlotOutcome.Result.SKIPPED).count();
    }

    public int sessionsReset() {
        return count(SlotOutcome.Result.RESET);
    }

    public int notFound() {
        return count(SlotOutcome.Result.NOT_FOUND);
    }

    public int failed() {
        return count(SlotOutcome.Result.FAILED);
    }

    private int count(SlotOutcome.Result r) {
        return (int) slots.stream().filter(s -> s.result() == r).count();
    }

    /** The one-line summary the adapter logs. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("recovery ").append(mode);
        if (requested != mode) {
            sb.append(" (requested ").append(requested).append(')');
        }
        sb.append(" for node ").append(nodeId).append(": ").append(slotsChecked()).append(" slots checked, ")
                .append(sessionsReset()).append(" sessions reset, ").append(notFound()).append(" not found, ")
                .append(failed()).append(" failed");
        slots.stream().filter(s -> s.result() == SlotOutcome.Result.FAILED).forEach(s ->
                sb.append(" [slot ").append(s.slot()).append(' ').append(s.uuid()).append(": ")
                        .append(s.errno()).append(']'));
        sb.append(", ").append(millis).append(" ms");
        if (note != null) {
            sb.append(" (").append(note).append(')');
        }
        return sb.toString();
    }
}
