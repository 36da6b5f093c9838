package org.cephfsjca.adapter.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When each phase of one start (or rejoin) ended, for one FINE log line: where a slow start spent its time (probe
 * mount, owner check, reset clients ready, resets, lease, peers) without a profiler. Thread-safe: phases end on
 * different threads.
 */
public final class StartTimings {

    private final long t0 = System.nanoTime();
    private final List<String> marks = new ArrayList<>();

    /** Records that {@code phase} ended now. */
    public synchronized void mark(String phase) {
        marks.add(phase + " +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    @Override
    public synchronized String toString() {
        return String.join(", ", marks);
    }
}
