package org.cephfsjca.adapter;

import java.io.IOException;
import java.time.Duration;

import javax.naming.Reference;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SessionStatus;

/** The {@link CephConnectionFactory} applications look up in JNDI. */
public final class CephConnectionFactoryImpl implements CephConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final CephManagedConnectionFactory mcf;
    private final ConnectionManager connectionManager;
    private Reference reference;

    CephConnectionFactoryImpl(CephManagedConnectionFactory mcf, ConnectionManager connectionManager) {
        this.mcf = mcf;
        this.connectionManager = connectionManager;
    }

    @Override
    public CephConnection getConnection() throws ResourceException {
        return (CephConnection) connectionManager.allocateConnection(mcf, null);
    }

    @Override
    public CephLock holdLock(String path, LockMode mode, Duration timeout) throws IOException, ResourceException {
        return mcf.node().holdLock(path, mode, timeout);
    }

    @Override
    public RecoveryReport getLastRecovery() {
        return mcf.node().lastRecovery();
    }

    @Override
    public SessionStatus getSessionStatus() {
        return mcf.node().status();
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    /** Closes the pool when this factory owns one (plain Java SE use); a container's pool is the container's. */
    public void close() {
        if (connectionManager instanceof StandaloneConnectionManager) {
            ((StandaloneConnectionManager) connectionManager).close();
        }
    }

    @Override
    public String toString() {
        return "CephConnectionFactory[" + mcf.node().status() + "]";
    }
}
