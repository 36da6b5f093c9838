package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Await;
import org.cephfsjca.it.Cli;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ManagementHttp;
import org.cephfsjca.it.Mgmt;

/**
 * The adapter's statistics as Prometheus text on the management port's {@code /metrics} (WildFly's metrics
 * subsystem), after rar/src/main/cli/configure-metrics.cli (which reloads: an adapter activated on a running server
 * has no metrics until then). Every numeric statistic of both {@code statistics=extended} resources is there, with
 * the values the management model shows.
 */
class AdapterMetricsIT extends ExampleAppClient {

    private static final String PREFIX = "wildfly_resource_adapters_extended_";
    private static final String RA_LABELS = "resource_adapter=\"" + ItEnv.RA + "\"";
    private static final DocDir DIR = DocDir.create("metrics");
    private static final String CD_LABELS = RA_LABELS + ",connection_definitions=\"" + ItEnv.CD + "\"";

    @Test
    void theStatisticsArePrometheusMetricsAfterTheReload() {
        Map<String, Double> before = metrics(ManagementHttp.get("/metrics").body());
        System.out.printf("[it] /metrics before configure-metrics.cli: %d metrics of the adapter %s%n", before.size(),
                before.keySet());
        Cli.run("configure-metrics.cli", Map.of());
        ModelNode node;
        ModelNode factory;
        try (Mgmt mgmt = Mgmt.connect()) {
            mgmt.awaitRunning();
            Await.until("the app answers after the reload", Duration.ofSeconds(120), () -> Http.get("/status").status(),
                    s -> s == 200);
            assertEquals(201, Http.put(DIR.url("metrics.txt"), "metrics").status(), "a request that opens a session");
            node = mgmt.extendedStatistics(AdapterStatisticsIT.RA);
            factory = mgmt.extendedStatistics(AdapterStatisticsIT.CD);
        }
        ManagementHttp.Resp r = ManagementHttp.get("/metrics");
        assertEquals(200, r.status(), r.body());
        Map<String, Double> m = metrics(r.body());
        System.out.println("[it] /metrics after the reload: " + m);
        for (Map.Entry<String, ModelType> e : AdapterStatisticsIT.NODE.entrySet()) {
            if (e.getValue() != ModelType.STRING) {
                assertTrue(m.containsKey(metric(e.getKey(), RA_LABELS)), "no metric for " + e.getKey() + " in " + m.keySet());
            }
        }
        for (Map.Entry<String, ModelType> e : AdapterStatisticsIT.FACTORY.entrySet()) {
            assertTrue(m.containsKey(metric(e.getKey(), CD_LABELS)), "no metric for " + e.getKey() + " in " + m.keySet());
        }
        assertEquals(1.0, m.get(metric("RecoveryFinished", RA_LABELS)));
        assertEquals((double) AdapterSetup.SLOTS, m.get(metric("LastRecoverySlotsChecked", RA_LABELS)));
        assertEquals(node.get("LastRecoverySlotsChecked").asDouble(), m.get(metric("LastRecoverySlotsChecked", RA_LABELS)));
        assertEquals(node.get("LastRecoveryStartedAt").asDouble(), m.get(metric("LastRecoveryStartedAt", RA_LABELS)),
                "the recovery of the adapter's start after the reload");
        assertEquals(0.0, m.get(metric("Fenced", RA_LABELS)));
        assertEquals((double) AdapterSetup.SLOTS, m.get(metric("SessionSlots", CD_LABELS)));
        assertEquals(factory.get("SessionSlots").asDouble(), m.get(metric("SessionSlots", CD_LABELS)));
        assertTrue(m.get(metric("SessionsOpen", CD_LABELS)) >= 1.0, "the PUT opened a session: " + m);
        assertEquals(factory.get("SessionsOpen").asDouble(), m.get(metric("SessionsOpen", CD_LABELS)));
    }

    /** {@code LastRecoveryMillis} -> {@code wildfly_resource_adapters_extended_last_recovery_millis{labels}}. */
    private static String metric(String statistic, String labels) {
        return PREFIX + statistic.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase() + "{" + labels + "}";
    }

    /** The adapter's samples: name{labels} -> value. */
    private static Map<String, Double> metrics(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        Pattern p = Pattern.compile("^(" + PREFIX + "[a-z_]+\\{[^}]*\\}) (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = p.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).contains(RA_LABELS)) {
                out.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        return out;
    }
}
