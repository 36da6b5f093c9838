package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.LockUnavailableException;

/**
 * Check-outs: a check-out holds the EXCLUSIVE lock of the document's lock file ({@link LockFiles}) until check-in,
 * through {@link CephConnectionFactory#holdLock}, outside the pool: a check-out occupies no pooled connection,
 * however many there are and however long they last. The MDS enforces the lock against every Ceph client, on this
 * server and elsewhere. A check-out belongs to the user who made it: only that user or an admin can check it in or
 * break it; one user holds at most {@link Limits#checkoutsPerUser()} (429 past it).
 *
 * <p>If this server crashes, the locks stay with its dead session until the adapter's next start resets the
 * session (recovery mode RESET), or until the MDS times the session out (mode NONE: minutes).
 */
@ApplicationScoped
public class CheckoutRegistry {

    private static final Logger LOG = Logger.getLogger(CheckoutRegistry.class.getName());
    /** How long a check-out waits for uploads and deletes under way (they hold the lock file's shared lock). */
    static final Duration LOCK_WAIT = Duration.ofMillis(500);

    @Inject
    private CephConnectionFactory files;

    @Inject
    private DocumentStore store;

    @Inject
    private Limits limits;

    private final Map<String, Checkout> held = new ConcurrentHashMap<>();

    /** One check-out; {@code lock} is null while it is being taken. */
    static final class Checkout {
        final String name;
        final String user;
        final Instant since;
        volatile CephLock lock;
        boolean released;

        Checkout(String name, String user, Instant since) {
            this.name = name;
            this.user = user;
            this.since = since;
        }

        String holder() {
            return "by " + user + " (since " + since + ")";
        }
    }

    /** What clients see of a check-out. */
    public record CheckoutInfo(String name, String user, Instant since, long size, boolean lockValid) {
    }

    /** Result of a check-in. */
    public record CheckinResult(String name, boolean replaced, long size, String sha256) {
    }

    /**
     * Locks the document for {@code caller} until check-in; 404 when missing, 409 when checked out (here or by any
     * other Ceph client), 429 when the caller holds the most check-outs allowed.
     */
    public CheckoutInfo checkout(String name, Caller caller) throws IOException, ResourceException {
        Checkout co = new Checkout(name, caller.name(), Instant.now());
        Checkout previous = held.putIfAbsent(name, co);
        if (previous != null) {
            throw DocumentException.checkedOut(name, previous.holder());
        }
        boolean kept = false;
        try {
            // counts this one too (reserved above), so concurrent check-outs cannot pass the limit together
            if (countOf(caller.name()) > limits.checkoutsPerUser()) {
                throw DocumentException.tooManyCheckouts(caller.name(), limits.checkoutsPerUser());
            }
            try (CephConnection c = files.getConnection()) {
                DocumentStore.info(c, name);
                LockFiles.ensure(c, name);
            }
            try {
                co.lock = files.holdLock(LockFiles.pathOf(name), LockMode.EXCLUSIVE, LOCK_WAIT);
            } catch (LockUnavailableException e) {
                throw DocumentException.checkedOut(name, "elsewhere (another server or Ceph client holds its lock)");
            }
            long size;
            try (CephConnection c = files.getConnection()) {
                size = DocumentStore.info(c, name).size(); // deleted just before we locked?
            }
            kept = true;
            LOG.fine(() -> "checked out '" + name + "' by " + caller.name());
            return new CheckoutInfo(name, co.user, co.since, size, true);
        } finally {
            if (!kept) {
                held.remove(name, co);
                if (co.lock != null) {
                    co.lock.close();
                }
            }
        }
    }

    /**
     * Releases the check-out, first replacing the document with {@code content} when that is not null (streamed to
     * a temporary file, fsynced, renamed over the document while the lock is still held). Only the user who checked
     * it out, or an admin, may.
     */
    public CheckinResult checkin(String name, Caller caller, InputStream content)
            throws IOException, ResourceException {
        Checkout co = owned(name, caller);
        synchronized (co) {
            if (co.released) {
                throw DocumentException.notCheckedOut(name);
            }
            if (!co.lock.isValid()) {
                release(co);
                throw new DocumentException(409, "lock-lost", "the check-out of '" + DocumentNames.printable(name)
                        + "' lost its lock (the server's CephFS session was lost); nothing was stored; check it out "
                        + "again");
            }
            DocumentStore.Stored stored = content == null ? null : store.replaceCheckedOut(name, content);
            release(co);
            LOG.fine(() -> "checked in '" + name + "' by " + caller.name());
            return stored == null ? new CheckinResult(name, false, -1, null)
                    : new CheckinResult(name, true, stored.size(), stored.sha256());
        }
    }

    /** Releases the check-out without changing the document (its owner or an admin). */
    public void breakCheckout(String name, Caller caller) {
        Checkout co = owned(name, caller);
        synchronized (co) {
            if (co.released) {
                throw DocumentException.notCheckedOut(name);
            }
            release(co);
        }
        LOG.info(() -> "check-out of '" + name + "' held by " + co.user + " broken by " + caller.name());
    }

    private Checkout owned(String name, Caller caller) {
        Checkout co = held.get(name);
        if (co == null || co.lock == null) {
            throw DocumentException.notCheckedOut(name);
        }
        if (!caller.mayRelease(co.user)) {
            throw DocumentException.notOwner(name, co.user);
        }
        return co;
    }

    /** The check-outs held now, oldest first. */
    public List<CheckoutInfo> list() {
        List<CheckoutInfo> out = new ArrayList<>();
        for (Checkout co : held.values()) {
            CephLock lock = co.lock;
            if (lock != null) {
                out.add(new CheckoutInfo(co.name, co.user, co.since, -1, lock.isValid()));
            }
        }
        out.sort(Comparator.comparing(CheckoutInfo::since).thenComparing(CheckoutInfo::name));
        return out;
    }

    /** Who holds {@code name} on this server, or null. */
    public String userOf(String name) {
        Checkout co = held.get(name);
        return co == null ? null : co.user;
    }

    /** 409 when {@code name} is checked out on this server (saying by whom and since when). */
    void refuseIfCheckedOut(String name) {
        Checkout co = held.get(name);
        if (co != null) {
            throw DocumentException.checkedOut(name, co.holder());
        }
    }

    /** For a conflict message: who holds the document's lock, as far as this server knows. */
    String holderOf(String name) {
        Checkout co = held.get(name);
        return co != null ? co.holder() : "elsewhere (another server or Ceph client holds its lock)";
    }

    int countOf(String user) {
        int n = 0;
        for (Checkout co : held.values()) {
            if (co.user.equals(user)) {
                n++;
            }
        }
        return n;
    }

    private void release(Checkout co) {
        co.released = true;
        held.remove(co.name, co);
        co.lock.close();
    }

    /** Undeploy or shutdown: give every lock back. */
    @PreDestroy
    void releaseAll() {
        for (Checkout co : held.values()) {
            synchronized (co) {
                if (!co.released && co.lock != null) {
                    try {
                        release(co);
                    } catch (RuntimeException e) {
                        LOG.warning("releasing check-out of '" + co.name + "' failed: " + e);
                    }
                }
            }
        }
    }
}
