package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Await;
import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ManagementHttp;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.libcephfs.CephMount;

/**
 * A node fenced for real, seen through its statistics: the test resets the suite server's lease session from outside
 * (what a peer's takeover does to a node it proved dead), the node's heartbeat finds its session evicted, the node
 * fences itself, discards its sessions and rejoins on fresh ones. {@code TimesFenced} and {@code TakeoversSuffered}
 * count it, the last recovery is the rejoin's, the state is {@code serving} and the lease {@code held} again,
 * readiness is UP again and the app serves.
 */
class FencedNodeIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("fenced");

    @Test
    void aResetLeaseFencesTheNodeAndTheStatisticsCountIt() throws Exception {
        String url = DIR.url("fenced.txt");
        assertEquals(201, Http.put(url, "before the fencing").status());
        try (Mgmt mgmt = Mgmt.connect()) {
            ModelNode before = mgmt.extendedStatistics(AdapterStatisticsIT.RA);
            assertEquals(0L, before.get("TimesFenced").asLong(), before.toString());
            assertEquals("serving", before.get("ServingState").asString(), before.toString());
            String lease = ItEnv.leaseUuid(AdapterSetup.nodeId());
            try (CephMount m = Ceph.initialized()) {
                boolean reset = m.resetSession(lease);
                assertTrue(reset, "the node's lease session " + lease + " was there to reset");
                System.out.printf("[it] reset of the node's lease session %s: %s%n", lease, reset);
            }
            ModelNode fenced = Await.until("TimesFenced counts the fencing", Duration.ofSeconds(60),
                    () -> mgmt.extendedStatistics(AdapterStatisticsIT.RA), st -> st.get("TimesFenced").asLong() >= 1);
            System.out.println("[it] fenced: " + fenced);
            ModelNode back = Await.until("serving again on a held lease", Duration.ofSeconds(120),
                    () -> mgmt.extendedStatistics(AdapterStatisticsIT.RA),
                    st -> "serving".equals(st.get("ServingState").asString())
                            && "held".equals(st.get("LeaseState").asString()));
            System.out.println("[it] rejoined: " + back);
            assertEquals(1L, back.get("TimesFenced").asLong(), back.toString());
            assertEquals(1L, back.get("TakeoversSuffered").asLong(), back.toString());
            assertEquals(0, back.get("Fenced").asInt());
            assertEquals(1, back.get("RecoveryFinished").asInt());
            assertTrue(back.get("LastRecoveryStartedAt").asLong() > before.get("LastRecoveryStartedAt").asLong(),
                    "the last recovery is the rejoin's: " + before + " -> " + back);
        }
        Await.until("readiness UP again", Duration.ofSeconds(60), () -> ManagementHttp.get("/health/ready"),
                r -> r.status() == 200);
        Http.Resp got = Await.until("the app reads the document again", Duration.ofSeconds(60), () -> Http.get(url),
                r -> r.status() == 200);
        assertEquals("before the fencing", got.body());
    }
}
