package org.cephfsjca.adapter;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.fs.HandleState;
import org.cephfsjca.adapter.fs.MountedConnection;

/**
 * Finds connection handles the application dropped without closing: each handle gets a phantom reference; when the
 * handle becomes unreachable unclosed, a daemon thread has its {@link HandleState} release what it left open and
 * tell its managed connection, which logs a warning and gives the session back to the pool. A handle closed by the
 * application or by the container (cleanup, destroy) is never touched again.
 *
 * <p>Why not a {@link java.lang.ref.Cleaner}: a Cleaner holds every registration in one global list (one lock)
 * until the handle is collected and its thread has run, so each get+close kept ~10 objects alive through at least
 * one GC and gave the collector a reference to process per checkout: the pool's get+close cost 20x more. Here the
 * reference is held by the handle's state only, which its managed connection holds while the handle is checked out
 * ({@link HandleState#watch}): once the handle is closed and its state dropped, reference and handle die together,
 * young garbage with nothing for the GC or this thread to do. A handle that leaks is still checked out, so its
 * state, and thus its reference, are still held, and the GC enqueues it.
 *
 * <p>With {@code stacks}, each checkout also captures the stack where the handle was obtained, for the warning.
 */
final class LeakDetector {

    private static final Logger LOG = Logger.getLogger(LeakDetector.class.getName());

    private final String nodeId;
    private final boolean stacks;
    private final AtomicLong leaked = new AtomicLong();
    private final ReferenceQueue<MountedConnection> queue = new ReferenceQueue<>();
    private Thread reaper; // guarded by this
    private boolean closed; // guarded by this

    LeakDetector(String nodeId, boolean stacks) {
        this.nodeId = nodeId;
        this.stacks = stacks;
    }

    /** Watches a handle just handed out. */
    void watch(MountedConnection handle) {
        HandleState state = handle.state();
        state.watch(new Watch(handle, queue, state, stacks ? new ObtainedHere() : null));
    }

    /** Starts the thread that reclaims leaked handles; once the adapter has started (a failed start never does). */
    synchronized void start() {
        if (reaper != null || closed) {
            return;
        }
        // no inherited thread locals: they could pin the starting thread's application objects
        Thread t = new Thread(null, this::reap, "cephfs-jca-leak-detector-" + nodeId, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(null); // must not pin an application's class loader
        t.start();
        reaper = t;
    }

    private void reap() {
        try {
            for (;;) {
                ((Watch) queue.remove()).reclaim();
            }
        } catch (InterruptedException e) {
            // adapter stop
        }
    }

    /** Adapter stop: ends the thread (the sessions are unmounted; a handle leaked now has nothing to give back). */
    synchronized void close() {
        closed = true;
        if (reaper != null) {
            reaper.interrupt();
        }
    }

    /** Counts a leak the managed connection reported; returns the running total. */
    long recordLeak() {
        return leaked.incrementAndGet();
    }

    long leaked() {
        return leaked.get();
    }

    /** The reference to a handle and what reclaiming it needs: never the handle itself. */
    private static final class Watch extends PhantomReference<MountedConnection> {
        private final HandleState state;
        private final Throwable origin;

        Watch(MountedConnection handle, ReferenceQueue<MountedConnection> queue, HandleState state, Throwable origin) {
            super(handle, queue);
            this.state = state;
            this.origin = origin;
        }

        void reclaim() {
            try {
                state.reclaimLeaked(origin);
            } catch (RuntimeException | Error e) { // the thread must live on for the next leak
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
