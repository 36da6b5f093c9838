package org.cephfsjca.api;

import java.io.Serializable;

/**
 * Session slots right now.
 *
 * @param nodeId     this server's node id
 * @param uuidPrefix prefix of the session uuids ({@code <prefix>-<nodeId>-<slot>})
 * @param slotCount  the most sessions the adapter will open
 * @param slotsInUse sessions open now (pooled, idle or in use)
 */
public record SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse) implements Serializable {
}
