package org.cephfsjca.it.cfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.it.ServerLog;

/**
 * {@code @ConnectionFactoryDefinition(resourceAdapter = "cephfs-jca")} on WildFly: IronJacamar starts an adapter
 * instance of its own for it, with ra.xml's defaults (none of the server's adapter properties) and its own start,
 * recovery and lease. That instance is refused at its start, saying why it exists, and the server's adapter goes on
 * untouched: same sessions, same node. (On Payara the definition uses the server's instance:
 * payara-tests' PayaraDocumentServiceIT.)
 */
class ConnectionFactoryDefinitionIT extends ExampleAppClient {

    private static final String NAME = "cephfs-jca-defined.war";

    @Test
    void theDefinitionsOwnAdapterInstanceIsRefusedAndTheServersGoesOn() throws Exception {
        Set<String> before = new HashSet<>(Ceph.sessionsOf(AdapterSetup.nodeId()));
        WebArchive war = ShrinkWrap.create(WebArchive.class, NAME).addClass(DefinedFactoryApp.class)
                .addAsManifestResource(new StringAsset("Dependencies: deployment.cephfs-jca.rar\n"), "MANIFEST.MF");
        Path file = Files.createTempFile("cephfs-jca-defined", ".war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        ServerLog log = ServerLog.mark();
        try (Mgmt mgmt = Mgmt.connect()) {
            AssertionError e = assertThrows(AssertionError.class, () -> mgmt.deploy(NAME, file));
            String why = e.getMessage() + "\n" + log.since();
            System.out.printf("[it] @ConnectionFactoryDefinition on WildFly: %s%n",
                    why.lines().filter(l -> l.contains("cephfs-jca")).findFirst().orElse(e.getMessage()));
            assertTrue(why.contains("@ConnectionFactoryDefinition"), "the refusal says why: " + why);
        } finally {
            try (Mgmt mgmt = Mgmt.connect()) {
                mgmt.undeploy(NAME);
            }
            Files.deleteIfExists(file);
        }
        // the server's adapter: untouched
        assertEquals(before, new HashSet<>(Ceph.sessionsOf(AdapterSetup.nodeId())), "the server's sessions are the same");
        Object status = Http.get("/status").json();
        assertEquals(AdapterSetup.nodeId(), Json.str(status, "sessions", "nodeId"));
        assertEquals(201, Http.put("/documents/it-cfd-" + AdapterSetup.nodeId() + ".txt", "x").status());
        assertEquals(204, Http.delete("/documents/it-cfd-" + AdapterSetup.nodeId() + ".txt").status());
    }
}
