package org.cephfsjca.adapter.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import jakarta.resource.ResourceException;

/**
 * The node's shared sessions: at most one live {@link SharedSession} per cephx identity, opened on first demand and
 * replaced once broken. A thread that finds no live session opens one (a reset and a mount: network, about 15 ms
 * to 1 s) while threads asking for the same identity wait for that one result; no lock is held while any of this
 * talks to the cluster.
 */
public final class SharedSessions {

    /** Opens a new session for an identity (takes a slot, resets its uuid, mounts). */
    @FunctionalInterface
    public interface Opener {
        SharedSession open(Identity identity) throws ResourceException;
    }

    private final Opener opener;
    private final Map<Identity, CompletableFuture<SharedSession>> current = new ConcurrentHashMap<>();
    /** Every session not yet closed, live or broken and draining (for stop and status). */
    private final Map<SharedSession, Boolean> open = new ConcurrentHashMap<>();

    public SharedSessions(Opener opener) {
        this.opener = opener;
    }

    /** The identity's live session with one more user; opens one if there is none. The caller must release it. */
    public SharedSession acquire(Identity identity) throws ResourceException {
        for (;;) {
            CompletableFuture<SharedSession> mine = new CompletableFuture<>();
            CompletableFuture<SharedSession> found = current.putIfAbsent(identity, mine);
            if (found == null) {
                found = mine;
                try {
                    SharedSession s = opener.open(identity);
                    open.put(s, Boolean.TRUE);
                    mine.complete(s);
                } catch (ResourceException | RuntimeException | Error e) {
                    current.remove(identity, mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            SharedSession s = await(found);
            if (s.tryRetain()) {
                return s;
            }
            current.remove(identity, found); // broken: the next round opens a new one
        }
    }

    /**
     * Takes a session out of service: no new user gets it, and it closes when its last user leaves. Idempotent.
     *
     * @return true for the caller that broke it
     */
    public boolean retire(SharedSession s) {
        CompletableFuture<SharedSession> f = current.get(s.identity());
        if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() == s) {
            current.remove(s.identity(), f);
        }
        return s.markBroken();
    }

    /**
     * Retires the session whose client is {@code mount} (the watchdog fenced it), if it is one of these. Returns it,
     * or null.
     */
    public SharedSession retireMount(org.cephfsjca.libcephfs.CephMount mount) {
        for (SharedSession s : open.keySet()) {
            if (s.mount() == mount) {
                retire(s);
                return s;
            }
        }
        return null;
    }

    /** Closed sessions leave the set (called by a session's close action). */
    public void closed(SharedSession s) {
        open.remove(s);
    }

    /** Closes every session now (adapter stop). */
    public void closeAll() {
        current.clear();
        for (SharedSession s : new ArrayList<>(open.keySet())) {
            s.closeNow();
        }
    }

    /** Sessions open now, live or draining. */
    public List<SharedSession> openSessions() {
        return new ArrayList<>(open.keySet());
    }

    private static SharedSession await(CompletableFuture<SharedSession> f) throws ResourceException {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return f.get(); // bounded: the opener's mount is bounded by mountTimeoutSeconds
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof ResourceException) {
                        throw new ResourceException(c.getMessage(), c);
                    }
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    throw new ResourceException("cephfs-jca: opening a session failed: " + c, c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
