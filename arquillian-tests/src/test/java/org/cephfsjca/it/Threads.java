package org.cephfsjca.it;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Thread pools for a test's concurrent requests. */
public final class Threads {

    private Threads() {
    }

    /**
     * A thread a task, named {@code name}; daemon threads, so that a request left hanging by a failed test cannot keep
     * the test JVM alive.
     */
    public static ExecutorService daemons(String name) {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
