package org.cephfsjca.example;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;

/**
 * What a request must give back when it ends, whatever happens: a download's connection, stream and bulkhead place
 * are closed by its body once written, and here too in case it never is (a HEAD request, a client that went away
 * before the body was written). Closed last-in first-out; closing twice is harmless for everything registered.
 */
@RequestScoped
public class RequestResources {

    private static final Logger LOG = Logger.getLogger(RequestResources.class.getName());

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    public synchronized void add(AutoCloseable c) {
        open.push(c);
    }

    @PreDestroy
    synchronized void closeAll() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                LOG.fine(() -> "closing at the end of a request: " + e);
            }
        }
    }
}
