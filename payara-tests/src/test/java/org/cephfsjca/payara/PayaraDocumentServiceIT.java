package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.DocumentScenarios;
import org.cephfsjca.it.ExampleApp;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.payara.app.DefinedFactoryProbe;

/**
 * The document service on Payara Micro, with the same built .rar and war as on WildFly, configured by the shipped
 * asadmin scripts ({@link PayaraSuite}); one server boot for the class. What DocumentServiceIT checks on WildFly,
 * except the pool statistics it reads through WildFly's management API (Payara's monitoring is not on in Payara
 * Micro): here the adapter's own figures (/status "sessions") and the MDS's sessions stand in for them.
 */
@ExtendWith({PayaraSuite.class, ArquillianExtension.class})
@RunAsClient
class PayaraDocumentServiceIT {

    private static final String DIR = "it-payara-" + UUID.randomUUID().toString().substring(0, 8);
    private static DocumentScenarios scenarios;

    /** The example war as built, plus a class defining a connection factory of its own (DefinedFactoryProbe). */
    @Deployment(testable = false)
    static WebArchive app() {
        return ExampleApp.war().addClass(DefinedFactoryProbe.class);
    }

    @BeforeAll
    static void scenarios() {
        scenarios = DocumentScenarios.in(DIR);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (scenarios != null) {
            scenarios.close();
        }
    }

    private static String doc(String name) {
        return scenarios.doc(name);
    }

    @Test
    void createReadReplaceListDelete() {
        scenarios.createReadReplaceListDelete();
    }

    /** Sign-in against Payara's file realm, roles mapped from its groups (glassfish-web.xml). */
    @Test
    void rolesComeFromTheFileRealmsGroups() {
        assertEquals(401, Http.anonymous().doGet("/documents").status());
        assertEquals(201, Http.put(doc("roles.txt"), "r").status());
        assertEquals(200, Http.as(ItUsers.READER).doGet(doc("roles.txt")).status());
        Http.Resp denied = Http.as(ItUsers.READER).doPut(doc("roles.txt"), "not allowed");
        assertEquals(403, denied.status(), denied.toString());
        assertEquals("forbidden", denied.error());
        assertEquals(204, Http.delete(doc("roles.txt")).status());
    }

    @Test
    void checkoutHoldsTheCephLockAcrossRequestsAgainstEveryone() throws Exception {
        scenarios.checkoutHoldsTheCephLockAcrossRequestsAgainstEveryone();
    }

    @Test
    void aLockHeldByAnotherCephClientIsAConflict() throws Exception {
        scenarios.aLockHeldByAnotherCephClientIsAConflict(4243);
    }

    /** it.stream.bytes (64 MiB) up and down through a 256 MiB heap: streamed, never buffered. */
    @Test
    void streamsADocument() {
        scenarios.streamsADocument(Long.parseLong(PayaraEnv.prop("it.stream.bytes")), "Payara Micro");
    }

    /**
     * GlassFish's pool and the adapter's sessions: sequential and concurrent requests share one CephFS session (the
     * pool's connections all match the one identity, whatever Subject GlassFish passes), the adapter counts the pool's
     * connections, and nothing is in use between requests.
     */
    @Test
    void pooledConnectionsShareOneSessionOfTheNode() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, Http.put(doc("pool-" + i + ".txt"), "p" + i).status());
            assertEquals(200, Http.get(doc("pool-" + i + ".txt")).status());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.post(doc("pool-" + i + ".txt") + "/checkout").status());
        }
        try {
            Object status = Http.get("/status").json();
            assertEquals(1L, Json.num(status, "sessions", "slotsInUse"), "one CephFS session: " + status);
            assertEquals((long) PayaraSuite.SLOTS, Json.num(status, "sessions", "slotCount"));
            assertEquals(PayaraSuite.nodeId(), Json.str(status, "sessions", "nodeId"));
            assertTrue(Json.num(status, "sessions", "connections") >= 1, status.toString());
            assertEquals(3, ((List<?>) Json.at(status, "checkouts")).size(), status.toString());
            assertEquals(1, Ceph.slotSessionsOf(PayaraSuite.nodeId()).size(),
                    "slot sessions in the MDS: " + Ceph.sessionsOf(PayaraSuite.nodeId()));
        } finally {
            for (int i = 0; i < 3; i++) {
                Http.post(doc("pool-" + i + ".txt") + "/checkin");
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(204, Http.delete(doc("pool-" + i + ".txt")).status());
        }
    }

    @Test
    void statusReportsTheStartTimeRecovery() {
        Object s = Http.get("/status").json();
        assertEquals("RESET", Json.str(s, "recovery", "mode"));
        assertEquals(PayaraSuite.nodeId(), Json.str(s, "recovery", "nodeId"));
        assertEquals((long) PayaraSuite.SLOTS, Json.num(s, "recovery", "slotsChecked"));
        assertEquals(0L, Json.num(s, "recovery", "failed"));
        assertEquals(0L, Json.num(s, "recovery", "sessionsReset"));
        assertTrue(Ceph.sessionsOf(PayaraSuite.nodeId()).contains(ItEnv.leaseUuid(PayaraSuite.nodeId())),
                "lease session of the node: " + Ceph.sessionsOf(PayaraSuite.nodeId()));
        Map<?, ?> pool = (Map<?, ?>) Json.at(s, "pool");
        System.out.printf("[it] payara status: %s; pool: %s%n", Json.str(s, "recovery", "summary"), pool);
    }

    /**
     * {@code @ConnectionFactoryDefinition(resourceAdapter = "cephfs-jca")} on Payara: GlassFish's connector runtime
     * makes a pool of the deployed adapter instance (the one configured by create-resource-adapter-config), so the
     * defined factory works and shares the server's node id, recovery and lease: no second instance (on WildFly there
     * is one, and it is refused: ConnectionFactoryDefinitionIT).
     */
    @Test
    void aConnectionFactoryDefinitionUsesTheServersAdapterInstance() {
        Http.Resp r = Http.get("/defined");
        assertEquals(200, r.status(), r.toString());
        Object j = r.json();
        assertEquals(Boolean.TRUE, Json.at(j, "readBack"), r.toString());
        assertEquals(PayaraSuite.nodeId(), Json.str(j, "definedNodeId"), r.toString());
        assertEquals(Json.str(j, "serverRecoveryStartedAt"), Json.str(j, "definedRecoveryStartedAt"),
                "one adapter instance, one start: " + r);
        System.out.printf("[it] payara @ConnectionFactoryDefinition: %s%n", r.body());
    }
}
