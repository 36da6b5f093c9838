package org.cephfsjca.api;

import java.io.Serializable;

/**
 * Sessions and connections right now. Pooled connections are cheap: all connections of one cephx identity share one
 * CephFS session (one libcephfs client, one MDS session), so that they never wait for each other's caps.
 *
 * @param nodeId            this server's node id
 * @param uuidPrefix        prefix of the session uuids ({@code <prefix>-<nodeId>-<slot>})
 * @param slotCount         the most CephFS sessions the adapter will open at once
 * @param slotsInUse        CephFS sessions open now (one per identity in use, plus broken ones whose last
 *                          connection has not been destroyed yet)
 * @param leakedConnections connection handles the application dropped without closing since the adapter started;
 *                          the adapter released what they held and returned their connections (see the WARNING log)
 * @param connections       pooled connections open now (idle or in use), over all sessions
 * @param serving           {@code serving}; {@code self-fenced} while this node cannot renew its lease (calls wait
 *                          for a renewal, then fail with {@link NodeFencedException} EAGAIN); {@code fenced} after
 *                          peers reset its sessions, until it has rejoined; {@code conflict} when, fenced, it found
 *                          another live server holding its node id (it never serves again); {@code stopped}
 * @param lastFencing       when and why this node was last fenced since it started, or null
 */
public record SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse, long leakedConnections,
                            int connections, String serving, String lastFencing) implements Serializable {

    /** Without the fencing state ("serving", never fenced), as before it was reported. */
    public SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse, long leakedConnections,
                         int connections) {
        this(nodeId, uuidPrefix, slotCount, slotsInUse, leakedConnections, connections, "serving", null);
    }

    /** Without connection count (0), as before it was reported. */
    public SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse, long leakedConnections) {
        this(nodeId, uuidPrefix, slotCount, slotsInUse, leakedConnections, 0);
    }

    /** Without leak and connection counts (0), as before they were reported. */
    public SessionStatus(String nodeId, String uuidPrefix, int slotCount, int slotsInUse) {
        this(nodeId, uuidPrefix, slotCount, slotsInUse, 0, 0);
    }
}
