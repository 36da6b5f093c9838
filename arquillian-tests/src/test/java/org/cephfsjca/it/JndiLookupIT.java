package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.naming.InitialContext;

import jakarta.annotation.Resource;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.RecoveryMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SessionStatus;

/**
 * Inside the server: the connection factory the CLI script bound at java:/ceph/FileSystem is found by JNDI lookup
 * and by injection, from an application that sees the adapter's api through {@code Dependencies:
 * deployment.cephfs-jca.rar} (the example app's war, with this test added by Arquillian).
 */
@OnSuiteServer
// also declared here: this test runs inside the server too, where the deployment may lack OnSuiteServer
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdapterSetup.class)
class JndiLookupIT {

    @Resource(lookup = "java:/ceph/FileSystem")
    private CephConnectionFactory injected;

    @Deployment
    static WebArchive app() {
        return ExampleApp.war();
    }

    @Test
    void lookupAndInjectionGiveTheStartedFactory() throws Exception {
        Object found = new InitialContext().lookup("java:/ceph/FileSystem");
        assertTrue(found instanceof CephConnectionFactory, "java:/ceph/FileSystem is " + found);
        CephConnectionFactory factory = (CephConnectionFactory) found;
        assertNotNull(injected, "@Resource(lookup = \"java:/ceph/FileSystem\") was not injected");
        // the app's portable name (web.xml resource-ref, mapped by jboss-web.xml) is the same factory
        Object portable = new InitialContext().lookup("java:app/ceph/FileSystem");
        assertTrue(portable instanceof CephConnectionFactory, "java:app/ceph/FileSystem is " + portable);
        assertEquals(((CephConnectionFactory) found).getSessionStatus().nodeId(),
                ((CephConnectionFactory) portable).getSessionStatus().nodeId());

        RecoveryReport r = factory.getLastRecovery();
        assertNotNull(r, "the adapter was started, so it has a recovery report");
        assertEquals(RecoveryMode.RESET, r.mode(), r.summary());
        assertEquals(0, r.failed(), r.summary());
        assertEquals(AdapterSetup.SLOTS, r.slotsChecked(), r.summary());
        SessionStatus s = factory.getSessionStatus();
        assertTrue(s.nodeId().startsWith("it-server-"), "node id configured by the CLI script: " + s);
        assertEquals(AdapterSetup.SLOTS, s.slotCount(), s.toString());

        // under the example app's directory, not in "/": a dead client of another test suite that holds caps on "/"
        // stalls every create there until the MDS evicts it (up to session_autoclose, 300 s)
        String dir = "/documents/it-jndi-" + UUID.randomUUID();
        byte[] data = ("written through " + s.nodeId()).getBytes(StandardCharsets.UTF_8);
        try (CephConnection c = factory.getConnection()) {
            c.mkdirs(dir);
            c.write(dir + "/file", data);
            assertArrayEquals(data, c.readAllBytes(dir + "/file"));
            assertTrue(factory.getSessionStatus().slotsInUse() >= 1);
            c.deleteRecursively(dir);
            assertFalse(c.exists(dir));
        }
    }
}
