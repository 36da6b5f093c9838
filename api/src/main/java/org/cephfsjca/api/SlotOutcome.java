package org.cephfsjca.api;

import java.io.Serializable;

/**
 * What recovery did with one session slot.
 *
 * @param slot     slot number
 * @param uuid     the slot's session uuid
 * @param result   RESET (a stale session was reset), NOT_FOUND (none had the uuid), FAILED, SKIPPED
 * @param errno    the errno name when FAILED (e.g. {@code EPERM}), else null
 * @param detail   human-readable detail when FAILED or SKIPPED, else null
 * @param millis   time the slot took
 */
public record SlotOutcome(int slot, String uuid, Result result, String errno, String detail, long millis)
        implements Serializable {

    /** Outcome kinds. */
    public enum Result { RESET, NOT_FOUND, FAILED, SKIPPED }
}
