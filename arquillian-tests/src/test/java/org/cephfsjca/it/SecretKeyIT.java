package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cephx key from WildFly's credential store (an Elytron encrypted expression) works, and the key itself appears
 * in none of the server's outputs: not in server.log (which holds the adapter's start line, its recovery report and
 * an error it reported), not in the management model's output, not in the persisted configuration.
 */
@OnSuiteServer
@ServerSetup(SecretKeySetup.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretKeyIT {

    @Deployment(testable = false)
    static WebArchive app() {
        return ExampleApp.war();
    }

    /** Through the example app: the adapter mounts as the test user, which only the key from the store lets in. */
    @Test
    @Order(1)
    void theKeyFromTheCredentialStoreOpensSessions() {
        String doc = "/documents/it-secret-" + UUID.randomUUID() + ".txt";
        Http.Resp created = Http.put(doc, "written with a key from the credential store");
        assertEquals(201, created.status(), created.toString());
        assertEquals("written with a key from the credential store", Http.get(doc).body());
        assertEquals(404, Http.get(doc + ".missing").status()); // an error path too
        assertEquals(204, Http.delete(doc).status());
    }

    @Test
    @Order(2)
    void theKeyAppearsInNoLogNoManagementOutputAndNoConfigFile() throws Exception {
        String key = SecretKeySetup.key();
        assertTrue(key != null && key.length() >= 40, "the test user's key was read: " + key.length() + " chars");
        List<String> leaks = new ArrayList<>();

        Path log = ItEnv.jbossHome().resolve("standalone/log/server.log");
        String serverLog = Files.readString(log, StandardCharsets.UTF_8);
        // positive control: the lines that would carry the key if anything did are there
        assertTrue(serverLog.contains("user=" + SecretKeySetup.user()), "the adapter's start line is in " + log);
        assertTrue(serverLog.contains("key=<redacted>"), "the start line says a key is set, without showing it");
        if (serverLog.contains(key)) {
            leaks.add(log.toString());
        }

        try (Mgmt mgmt = Mgmt.connect()) {
            ModelNode read = new ModelNode();
            read.get("operation").set("read-resource");
            read.get("address").setEmptyList();
            read.get("recursive").set(true);
            read.get("include-runtime").set(true);
            String model = mgmt.execute(read).toString();
            assertTrue(model.contains("${ENC::"), "the key property holds an encrypted expression");
            if (model.contains(key)) {
                leaks.add("management read-resource(recursive, include-runtime)");
            }
            ModelNode xml = new ModelNode();
            xml.get("operation").set("read-config-as-xml");
            xml.get("address").setEmptyList();
            if (mgmt.execute(xml).asString().contains(key)) {
                leaks.add("management read-config-as-xml");
            }
        }
        try (Stream<Path> files = Files.walk(ItEnv.jbossHome().resolve("standalone"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".log")
                            || p.toString().endsWith(".properties"))::iterator) {
                if (contains(f, key)) {
                    leaks.add(f.toString());
                }
            }
        }
        assertFalse(!leaks.isEmpty(), "the cephx key of client." + SecretKeySetup.user() + " appears in " + leaks);
    }

    private static boolean contains(Path f, String s) {
        try {
            return Files.readString(f, StandardCharsets.ISO_8859_1).contains(s);
        } catch (IOException e) {
            return false; // a file that disappeared (rotated log)
        }
    }
}
