package org.cephfsjca.adapter.fs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams, channels and locks a connection has open. Thread-safe: resources register from the threads that
 * open them and remove themselves when the application closes them, while a container thread may release them all.
 *
 * <p>The set is made by the first registration: most checkouts open nothing that outlives a call (stat, write,
 * readAllBytes), and a pool's get+close then allocates no set at all.
 */
final class ResourceTracker {

    private static final VarHandle OPEN;

    static {
        try {
            OPEN = MethodHandles.lookup().findVarHandle(ResourceTracker.class, "open", Set.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Set<TrackedResource> open; // null until the first registration
    private volatile boolean closed;

    /**
     * Adds a just-opened resource. If the tracker was closed meanwhile (the connection closed on another thread),
     * the resource is released at once and {@link IllegalStateException} thrown, so nothing escapes a closed
     * connection.
     */
    void register(TrackedResource r) {
        Set<TrackedResource> set = set();
        set.add(r);
        // close() sets closed before it looks at the set: either we see closed here or it sees r there
        if (closed) {
            set.remove(r);
            r.release();
            throw new IllegalStateException("connection is closed");
        }
    }

    private Set<TrackedResource> set() {
        Set<TrackedResource> s = open;
        if (s == null) {
            Set<TrackedResource> made = ConcurrentHashMap.newKeySet();
            @SuppressWarnings("unchecked")
            Set<TrackedResource> witness = (Set<TrackedResource>) OPEN.compareAndExchange(this, null, made);
            s = witness == null ? made : witness;
        }
        return s;
    }

    /** Forgets a resource the application closed itself. */
    void unregister(TrackedResource r) {
        Set<TrackedResource> s = open;
        if (s != null) {
            s.remove(r);
        }
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
        Set<TrackedResource> s = open; // read after closed: a register() that made the set later sees closed
        if (s == null || s.isEmpty()) {
            return 0; // the common close, with nothing left open, allocates nothing
        }
        List<TrackedResource> locks = new ArrayList<>();
        List<TrackedResource> others = new ArrayList<>();
        for (TrackedResource r : s) {
            (r.isLock() ? locks : others).add(r);
        }
        int count = 0;
        for (List<TrackedResource> batch : List.of(locks, others)) {
            for (TrackedResource r : batch) {
                if (s.remove(r)) {
                    count++;
                    r.release();
                }
            }
        }
        return count;
    }

    /** Resources open now. */
    int size() {
        Set<TrackedResource> s = open;
        return s == null ? 0 : s.size();
    }
}
