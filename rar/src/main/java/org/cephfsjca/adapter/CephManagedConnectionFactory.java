package org.cephfsjca.adapter;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.stats.FactoryStatistics;
import org.cephfsjca.adapter.stats.NodeView;
import org.cephfsjca.adapter.stats.StatisticsSet;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * Creates pooled CephFS sessions for its {@link CephResourceAdapter}. The cephx identity of a session is the
 * container's {@link PasswordCredential} for this factory (user = cephx id, password = key) when there is one,
 * else the adapter's configured user and keyring; {@link #matchManagedConnections} only hands out a session of the
 * identity asked for.
 *
 * <p>With no {@link ConnectionManager} ({@link #createConnectionFactory()}), the factory pools sessions itself,
 * for plain Java SE use, bounded by the adapter's {@code maxPoolSize} and {@code poolBlockingTimeoutMillis}.
 */
public class CephManagedConnectionFactory implements ManagedConnectionFactory, ValidatingManagedConnectionFactory,
        ResourceAdapterAssociation, Statistics {

    private static final long serialVersionUID = 1L;

    private transient CephResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    /** Names fixed now: WildFly reads them when the pool starts, possibly before the adapter is associated. */
    private final transient StatisticsSet statistics = FactoryStatistics.create(this::startedNode);

    @Override
    public Object createConnectionFactory(ConnectionManager cm) {
        return new CephConnectionFactoryImpl(this, cm);
    }

    @Override
    public Object createConnectionFactory() {
        AdapterConfig config = node().config();
        return new CephConnectionFactoryImpl(this, new StandaloneConnectionManager(config.maxPoolSize(),
                config.poolBlockingTimeoutMillis()));
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        return node().open(this, identity(subject));
    }

    @Override
    public ManagedConnection matchManagedConnections(@SuppressWarnings("rawtypes") Set candidates, Subject subject,
                                                     ConnectionRequestInfo info) throws ResourceException {
        Identity wanted = identity(subject);
        for (Object o : candidates) {
            if (o instanceof CephManagedConnection) {
                CephManagedConnection mc = (CephManagedConnection) o;
                if (mc.factory() == this && mc.identity().equals(wanted) && mc.isUsable()) {
                    return mc;
                }
            }
        }
        return null;
    }

    /** Sessions that the cluster evicted or blocklisted, or whose calls failed with a fatal errno. */
    @Override
    public Set<ManagedConnection> getInvalidConnections(@SuppressWarnings("rawtypes") Set candidates) {
        Set<ManagedConnection> invalid = new java.util.HashSet<>();
        for (Object o : candidates) {
            if (o instanceof CephManagedConnection && !((CephManagedConnection) o).validate()) {
                invalid.add((ManagedConnection) o);
            }
        }
        return invalid;
    }

    /**
     * The identity for a request: the container's credential for this factory, else the configured one. A credential
     * without a user name is no credential: GlassFish's connector runtime (Payara) hands one with an empty user and
     * password to every pool that has no user configured (docs/payara.md, "Container differences").
     */
    Identity identity(Subject subject) {
        PasswordCredential pc = ContainerCredential.of(subject, this);
        if (pc == null) {
            return node().defaultIdentity();
        }
        char[] pw = pc.getPassword();
        return new Identity(pc.getUserName(), pw == null || pw.length == 0 ? null : new String(pw));
    }

    NodeSessions node() {
        if (resourceAdapter == null) {
            throw new IllegalStateException("CephManagedConnectionFactory has no resource adapter: "
                    + "call setResourceAdapter with a started CephResourceAdapter");
        }
        return resourceAdapter.node();
    }

    /** The adapter's started node, or null (no adapter, or not started): for the statistics, which never fail. */
    private NodeView startedNode() {
        CephResourceAdapter ra = resourceAdapter;
        return ra == null ? null : ra.startedNode();
    }

    /**
     * IronJacamar's statistics SPI: sessions, connections, leaked handles and held locks, shown by WildFly under
     * {@code connection-definitions=Y/statistics=extended} (org.cephfsjca.adapter.stats; docs/wildfly.md).
     */
    @Override
    public StatisticsPlugin getStatistics() {
        return statistics;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof CephResourceAdapter)) {
            throw new ResourceException("CephManagedConnectionFactory needs a CephResourceAdapter, got " + ra);
        }
        this.resourceAdapter = (CephResourceAdapter) ra;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /**
     * Equal when their adapters' configurations are equal (the configuration decides everything about the sessions);
     * before the adapter is started, when bound to the same adapter.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CephManagedConnectionFactory)) {
            return false;
        }
        CephManagedConnectionFactory other = (CephManagedConnectionFactory) o;
        Object mine = configOrAdapter();
        return mine != null && mine.equals(other.configOrAdapter());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(configOrAdapter());
    }

    private Object configOrAdapter() {
        CephResourceAdapter ra = resourceAdapter;
        if (ra == null) {
            return null;
        }
        try {
            return ra.node().config();
        } catch (IllegalStateException notStarted) {
            return ra;
        }
    }

    @Override
    public String toString() {
        return "CephManagedConnectionFactory[" + resourceAdapter + "]";
    }
}
