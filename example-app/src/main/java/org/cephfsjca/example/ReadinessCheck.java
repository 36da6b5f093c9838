package org.cephfsjca.example;

import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SessionStatus;

/**
 * MicroProfile Health readiness ({@code /health/ready} on WildFly's management port): this server may take
 * requests when
 * <ol>
 * <li>the adapter's start-time recovery has finished (the previous incarnation's sessions were reset: their locks
 *     are free),</li>
 * <li>the node is not fenced (its serving state is {@code serving}: not fenced by peers, not self-fenced because its
 *     lease heartbeat is late, not in conflict over its node id), and</li>
 * <li>the cluster is reachable: it answers a probe within {@code cephfs.example.ready.timeoutMillis} (system
 *     property, default 2000; see {@link ClusterProbe}).</li>
 * </ol>
 * The check is named {@code cephfs-jca}; its data say which condition failed and why (docs/example-app.md).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String NAME = "cephfs-jca";
    private static final Logger LOG = Logger.getLogger(ReadinessCheck.class.getName());
    private static final long DEFAULT_TIMEOUT_MILLIS = 2000;

    @Inject
    private CephConnectionFactory files; // CephFiles: the app's portable name, on every server

    @Resource
    private ManagedExecutorService executor;

    private ClusterProbe probe;

    @PostConstruct
    void init() {
        probe = new ClusterProbe(executor, timeoutMillis());
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
        RecoveryReport r = files.getLastRecovery();
        boolean recovered = r != null;
        b.withData("recoveryFinished", recovered);
        if (recovered) {
            b.withData("recovery", r.summary());
        }
        SessionStatus s = files.getSessionStatus();
        boolean fenced = !"serving".equals(s.serving());
        b.withData("serving", s.serving());
        b.withData("fenced", fenced);
        if (s.lastFencing() != null) {
            b.withData("lastFencing", s.lastFencing());
        }
        ClusterProbe.Result reach = probe.check(files);
        b.withData("clusterReachable", reach.reachable());
        b.withData("probe", reach.detail());
        b.withData("probeMillis", reach.millis());
        return b.status(recovered && !fenced && reach.reachable()).build();
    }

    private static long timeoutMillis() {
        String name = "cephfs.example.ready.timeoutMillis";
        String v = System.getProperty(name);
        if (v != null && !v.isBlank()) {
            try {
                long n = Long.parseLong(v.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            LOG.warning(() -> "ignoring " + name + "=" + v + " (an integer >= 1 is needed); using "
                    + DEFAULT_TIMEOUT_MILLIS);
        }
        return DEFAULT_TIMEOUT_MILLIS;
    }
}
