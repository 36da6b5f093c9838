package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * Check-outs: a check-out takes an exclusive CephFS lock on the document and keeps it, with the pooled connection
 * it was taken through, until check-in. The MDS enforces the lock against every Ceph client, on this server and
 * elsewhere. If this server crashes, the lock stays with its dead session until the adapter's next start resets
 * the session (recovery mode RESET), or until the MDS times the session out (mode NONE: minutes).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CheckoutRegistry {

    private static final Logger LOG = Logger.getLogger(CheckoutRegistry.class.getName());

    @Resource(lookup = "java:/ceph/FileSystem")
    private CephConnectionFactory files;

    private final Map<String, Checkout> held = new ConcurrentHashMap<>();

    /** One check-out: its connection stays out of the pool until check-in. */
    static final class Checkout {
        final String name;
        final CephConnection connection;
        final CephLock lock;
        final Instant since;
        boolean released;

        Checkout(String name, CephConnection connection, CephLock lock, Instant since) {
            this.name = name;
            this.connection = connection;
            this.lock = lock;
            this.since = since;
        }
    }

    /** What clients see of a check-out. */
    public record CheckoutInfo(String name, Instant since, long size, boolean lockValid) {
    }

    /** Result of a check-in. */
    public record CheckinResult(String name, boolean replaced, long size, String sha256) {
    }

    /** Locks the document for this server until {@link #checkin}; 404 when missing, 409 when locked elsewhere. */
    public CheckoutInfo checkout(String name) throws IOException, ResourceException {
        String path = DocumentStore.pathOf(name);
        if (held.containsKey(name)) {
            throw DocumentException.locked(name, "is already checked out (on this server)");
        }
        CephConnection c = files.getConnection();
        boolean keep = false;
        try {
            DocumentStore.DocumentInfo info = DocumentStore.info(c, name, path);
            Optional<CephLock> lock;
            try {
                lock = c.tryLock(path, LockMode.EXCLUSIVE);
            } catch (NoSuchFileException e) {
                throw DocumentException.notFound(name);
            }
            if (lock.isEmpty()) {
                throw DocumentException.locked(name, "is checked out elsewhere (another Ceph client holds its lock)");
            }
            Checkout co = new Checkout(name, c, lock.get(), Instant.now());
            if (held.putIfAbsent(name, co) != null) {
                lock.get().close();
                throw DocumentException.locked(name, "is already checked out (on this server)");
            }
            keep = true;
            LOG.info(() -> "checked out '" + name + "'");
            return new CheckoutInfo(name, co.since, info.size(), true);
        } finally {
            if (!keep) {
                c.close();
            }
        }
    }

    /**
     * Releases the check-out, first replacing the document with {@code content} when that is not null (streamed
     * to a temporary file, fsynced, renamed over the document while the lock is still held).
     */
    public CheckinResult checkin(String name, InputStream content) throws IOException {
        String path = DocumentStore.pathOf(name);
        Checkout co = held.get(name);
        if (co == null) {
            throw new DocumentException(409, "not-checked-out", "document '" + name
                    + "' is not checked out on this server");
        }
        synchronized (co) {
            if (co.released) {
                throw new DocumentException(409, "not-checked-out", "document '" + name + "' was just checked in");
            }
            if (!co.lock.isValid()) {
                release(co);
                throw DocumentException.locked(name, "lost its lock (the CephFS session was lost); check it out again");
            }
            DocumentStore.Stored stored = null;
            if (content != null) {
                stored = DocumentStore.replace(co.connection, name, path, content, false);
            }
            release(co);
            LOG.info(() -> "checked in '" + name + "'");
            return stored == null ? new CheckinResult(name, false, -1, null)
                    : new CheckinResult(name, true, stored.size(), stored.sha256());
        }
    }

    public List<CheckoutInfo> list() {
        List<CheckoutInfo> out = new ArrayList<>();
        for (Checkout co : held.values()) {
            long size = -1;
            try {
                if (!co.connection.isClosed()) {
                    size = co.connection.stat(DocumentStore.pathOf(co.name)).size();
                }
            } catch (IOException | RuntimeException e) {
                // report what we know
            }
            out.add(new CheckoutInfo(co.name, co.since, size, co.lock.isValid()));
        }
        return out;
    }

    public boolean isCheckedOut(String name) {
        return held.containsKey(name);
    }

    private void release(Checkout co) {
        co.released = true;
        held.remove(co.name, co);
        try {
            co.lock.close();
        } finally {
            co.connection.close();
        }
    }

    /** Undeploy or shutdown: give every lock and connection back. */
    @PreDestroy
    void releaseAll() {
        for (Checkout co : held.values()) {
            synchronized (co) {
                if (!co.released) {
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
