package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.cephfsjca.it.Await;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.ManagementHttp;

/**
 * The example app's MicroProfile Health readiness check ({@code ReadinessCheck}, named cephfs-jca) on the
 * management port's {@code /health/ready}: UP with the adapter's recovery finished, the node serving and the cluster
 * answering; DOWN (503) while the cluster's monitor is frozen (it answers no statfs: the probe's bound runs out), and
 * UP again once it answers. No mock: the real monitor, stopped with SIGSTOP and resumed.
 */
class ReadinessIT extends ExampleAppClient {

    @Test
    void readyWhenRecoveredServingAndTheClusterAnswers() {
        ManagementHttp.Resp r = ManagementHttp.get("/health/ready");
        System.out.println("[it] /health/ready: " + r.status() + " " + r.body());
        assertEquals(200, r.status(), r.body());
        assertEquals("UP", Json.str(r.json(), "status"));
        Map<String, Object> check = check(r);
        assertEquals("UP", check.get("status"), check.toString());
        Object data = check.get("data");
        assertEquals(Boolean.TRUE, Json.at(data, "recoveryFinished"));
        assertEquals(Boolean.FALSE, Json.at(data, "fenced"));
        assertEquals("serving", Json.str(data, "serving"));
        assertEquals(Boolean.TRUE, Json.at(data, "clusterReachable"));
        assertEquals(Json.str(Http.get("/status").json(), "recovery", "summary"), Json.str(data, "recovery"));
    }

    @Test
    void notReadyWhileTheMonitorDoesNotAnswer() {
        assertEquals(200, ManagementHttp.get("/health/ready").status(), "ready before the freeze");
        ManagementHttp.Resp down;
        try (MonitorFreeze frozen = MonitorFreeze.freeze(120)) {
            down = Await.until("/health/ready answers 503 with the monitor frozen", Duration.ofSeconds(60),
                    () -> ManagementHttp.get("/health/ready"), x -> x.status() == 503);
        }
        System.out.println("[it] /health/ready, monitor frozen: " + down.status() + " " + down.body());
        Map<String, Object> check = check(down);
        assertEquals("DOWN", check.get("status"), check.toString());
        assertEquals(Boolean.FALSE, Json.at(check.get("data"), "clusterReachable"), check.toString());
        assertEquals(Boolean.TRUE, Json.at(check.get("data"), "recoveryFinished"), check.toString());
        ManagementHttp.Resp up = Await.until("/health/ready answers 200 once the monitor answers again",
                Duration.ofSeconds(120), () -> ManagementHttp.get("/health/ready"), x -> x.status() == 200);
        System.out.println("[it] /health/ready, monitor resumed: " + up.status() + " " + up.body());
        assertEquals("UP", check(up).get("status"));
        assertEquals(200, Http.get("/status").status(), "the app serves again");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(ManagementHttp.Resp r) {
        for (Object c : (List<Object>) Json.at(r.json(), "checks")) {
            if ("cephfs-jca".equals(Json.str(c, "name"))) {
                return (Map<String, Object>) c;
            }
        }
        throw new AssertionError("no check named cephfs-jca in " + r.body());
    }
}
