package org.cephfsjca.api;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

/**
 * Where applications get CephFS connections: bound in JNDI by the container (for example
 * {@code @Resource(lookup = "java:/ceph/FileSystem") CephConnectionFactory files;}).
 *
 * <p>Connections are pooled; all connections of one cephx identity share that identity's CephFS session (one
 * libcephfs client with a stable uuid), so they never wait for each other's caps. Closing a connection returns it to
 * the pool and releases what it left open (streams, channels, locks).
 */
public interface CephConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection from the pool. Close it (try-with-resources) to return it.
     *
     * @throws ResourceException when no session can be had: pool or session slots exhausted
     *                           ({@code jakarta.resource.spi.ResourceAllocationException}), or the cluster is
     *                           unreachable
     */
    CephConnection getConnection() throws ResourceException;

    /**
     * A whole-file lock held outside any pooled connection: it occupies no connection of the pool, however long it is
     * held (a document checked out for days), and the MDS enforces it against every Ceph client like any other lock.
     * It is taken through the adapter's configured cephx identity, on that identity's shared session.
     *
     * <p>Waits up to {@code timeout} for the lock ({@link Duration#ZERO}: try once). Release it with
     * {@link CephLock#close()}; it is also released when the adapter stops, and lost (with
     * {@link CephLock#isValid()} false) when its session is evicted. An unclosed lock stays held until then: keep a
     * reference to every lock you hold.
     *
     * @throws LockUnavailableException when another owner holds a conflicting lock at the deadline
     * @throws java.nio.file.NoSuchFileException when {@code path} does not exist
     * @throws ResourceException when no session can be had
     */
    CephLock holdLock(String path, LockMode mode, Duration timeout) throws IOException, ResourceException;

    /** What the adapter did with the sessions of its previous incarnation when it started. */
    RecoveryReport getLastRecovery();

    /** Session slots and their use right now. */
    SessionStatus getSessionStatus();
}
