package org.cephfsjca.adapter.session;

import org.cephfsjca.libcephfs.CephMount;

/**
 * The stable session uuid of each slot: {@code <prefix>-<nodeId>-<slot>}. Stable across restarts of the same
 * server, so the next incarnation can find and reset what the previous one left.
 */
public final class SessionUuids {

    private final String prefix;
    private final String nodeId;

    public SessionUuids(String prefix, String nodeId) {
        this.prefix = prefix;
        this.nodeId = nodeId;
        CephMount.validateUuid(of(0)); // fail early on a prefix/node id that cannot form a uuid
    }

    /** The uuid of slot {@code slot}. */
    public String of(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0: " + slot);
        }
        return prefix + "-" + nodeId + "-" + slot;
    }

    /** The uuid of the session that holds this node's lease (see OwnerLease). */
    public String lease() {
        return prefix + "-" + nodeId + "-lease";
    }

    public String prefix() {
        return prefix;
    }

    public String nodeId() {
        return nodeId;
    }
}
