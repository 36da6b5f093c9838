package org.cephfsjca.adapter.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams, channels and locks a connection has open. Thread-safe: resources register from the threads that
 * open them and remove themselves when the application closes them, while a container thread may release them all.
 */
final class ResourceTracker {

    private final Set<TrackedResource> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Adds a just-opened resource. If the tracker was closed meanwhile (the connection closed on another thread),
     * the resource is released at once and {@link IllegalStateException} thrown, so nothing escapes a closed
     * connection.
     */
    void register(TrackedResource r) {
        open.add(r);
        // close() sets closed before it snapshots the set: either we see closed here or it sees r there
        if (closed) {
            open.remove(r);
            r.release();
            throw new IllegalStateException("connection is closed");
        }
    }

    /** Forgets a resource the application closed itself. */
    void unregister(TrackedResource r) {
        open.remove(r);
    }

    /**
     * Releases every resource, locks first. With {@code permanently} no resource can be registered afterwards.
     *
     * @return how many resources were open
     */
    int releaseAll(boolean permanently) {
        if (permanently) {
            closed = true;
        }
        List<TrackedResource> locks = new ArrayList<>();
        List<TrackedResource> others = new ArrayList<>();
        for (TrackedResource r : open) {
            (r.isLock() ? locks : others).add(r);
        }
        int count = 0;
        for (List<TrackedResource> batch : List.of(locks, others)) {
            for (TrackedResource r : batch) {
                if (open.remove(r)) {
                    count++;
                    r.release();
                }
            }
        }
        return count;
    }

    /** Resources open now. */
    int size() {
        return open.size();
    }
}
