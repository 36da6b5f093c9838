package org.cephfsjca.adapter;

import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.fs.HandleState;
import org.cephfsjca.adapter.fs.MountedConnection;

/**
 * Finds connection handles the application dropped without closing: each handle is registered with a
 * {@link Cleaner}; when it becomes unreachable unclosed, its {@link HandleState} releases what it left open and
 * tells its managed connection, which logs a warning and gives the session back to the pool. A handle closed by
 * the application or by the container (cleanup, destroy) is never touched again. The cleaning action holds the
 * state only, never the handle (else the handle could never become unreachable).
 *
 * <p>Cheap by default: one small registration per checkout. With {@code stacks}, each checkout also captures the
 * stack where the handle was obtained, for the warning.
 */
final class LeakDetector {

    private static final Logger LOG = Logger.getLogger(LeakDetector.class.getName());

    private final Cleaner cleaner;
    private final boolean stacks;
    private final AtomicLong leaked = new AtomicLong();

    LeakDetector(String nodeId, boolean stacks) {
        this.stacks = stacks;
        // one daemon thread per started adapter; it ends once the adapter and its handles are unreachable
        this.cleaner = Cleaner.create(r -> {
            Thread t = new Thread(r, "cephfs-jca-leak-detector-" + nodeId);
            t.setContextClassLoader(null); // must not pin an application's class loader
            return t;
        });
    }

    /** Watches a handle just handed out. */
    void watch(MountedConnection handle) {
        HandleState state = handle.state();
        Throwable origin = stacks ? new ObtainedHere() : null;
        cleaner.register(handle, new Reclaim(state, origin));
    }

    /** Counts a leak the managed connection reported; returns the running total. */
    long recordLeak() {
        return leaked.incrementAndGet();
    }

    long leaked() {
        return leaked.get();
    }

    /** The cleaning action: a static class, so it cannot capture the handle. */
    private static final class Reclaim implements Runnable {
        private final HandleState state;
        private final Throwable origin;

        Reclaim(HandleState state, Throwable origin) {
            this.state = state;
            this.origin = origin;
        }

        @Override
        public void run() {
            try {
                state.reclaimLeaked(origin);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cephfs-jca: reclaiming a leaked connection failed", e);
            }
        }
    }

    /** Where a leaked handle was obtained: only its stack trace matters. */
    static final class ObtainedHere extends Throwable {
        private static final long serialVersionUID = 1L;

        ObtainedHere() {
            super("connection obtained here by thread '" + Thread.currentThread().getName() + "' at " + Instant.now());
        }
    }
}
