package org.cephfsjca.api;

import java.io.Serializable;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

/**
 * Where applications get CephFS connections: bound in JNDI by the container (for example
 * {@code @Resource(lookup = "java:/ceph/FileSystem") CephConnectionFactory files;}).
 *
 * <p>Each connection is a pooled libcephfs session with a stable uuid; closing it returns the session to the pool.
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

    /** What the adapter did with the sessions of its previous incarnation when it started. */
    RecoveryReport getLastRecovery();

    /** Session slots and their use right now. */
    SessionStatus getSessionStatus();
}
