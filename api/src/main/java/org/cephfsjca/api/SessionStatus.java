package org.cephfsjca.api;

import java.io.Serializable;

/**
 * Session slots right now.
 *
 * @param nodeId            this server's node id
 * @param uuidPrefix        prefix of the session uuids ({@code <prefix>-<nodeId>-<slot>})
 * @param slotCount         the most sessions the adapter will open
 * @param slotsInUse        sessions open now (pooled, idle or in use)
 * @param leakedConnections connection handles the application dropped without closing since the adapter started;
 *                          the adapter released what they held and returned their sessions (see the WARNING log)
 */
public record SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse, long leakedConnections)
        implements Serializable {

    /** Without leak count (0), as before it was reported. */
    public SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse) {
        this(nodeId, uuidPrefix, slotCount, slotsInUse, 0);
    }
}
