package org.cephfsjca.adapter.session;

import java.util.BitSet;

import jakarta.resource.spi.ResourceAllocationException;

/**
 * Which session slots are taken. A slot is held from just before its session is mounted until the session is
 * destroyed, so two live sessions never share a uuid. Lowest free slot first, so a small pool reuses the same
 * uuids and a restart has few to reset. The lock guards a bit set only: nothing waits on the network under it.
 */
public final class SlotRegistry {

    private final int size;
    private final BitSet taken;
    private final String nodeId;

    public SlotRegistry(int size, String nodeId) {
        this.size = size;
        this.taken = new BitSet(size);
        this.nodeId = nodeId;
    }

    /**
     * Takes the lowest free slot not in {@code avoid}.
     *
     * @throws ResourceAllocationException when all slots are taken (never a second session on a used uuid)
     */
    public synchronized int acquire(BitSet avoid) throws ResourceAllocationException {
        BitSet blocked = (BitSet) taken.clone();
        if (avoid != null) {
            blocked.or(avoid);
        }
        int slot = blocked.nextClearBit(0);
        if (slot >= size) {
            throw new ResourceAllocationException("all " + size + " session slots of node " + nodeId + " are in use"
                    + (avoid == null || avoid.isEmpty() ? "" : " or held by stale sessions (" + avoid + ")")
                    + "; raise sessionSlots or lower the pool's max-pool-size to at most " + size);
        }
        taken.set(slot);
        return slot;
    }

    public synchronized void release(int slot) {
        taken.clear(slot);
    }

    public synchronized int inUse() {
        return taken.cardinality();
    }

    public int size() {
        return size;
    }
}
