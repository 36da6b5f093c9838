package org.cephfsjca.it.leak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

import jakarta.ejb.EJB;

import javax.naming.InitialContext;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.ExampleApp;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.OnSuiteServer;

/**
 * Inside WildFly, an EJB that leaks a connection (and a lock through it) on every call: the container's cached
 * connection manager closes each leaked handle at the end of the call and logs it (IJ000100), the adapter's
 * {@code cleanup()} releases the lock, and the pool reuses the session. Three times more calls than the pool has
 * sessions all succeed, each finding the lock free, and no more sessions than the pool's maximum are ever open.
 */
@OnSuiteServer
// also declared here: this test runs inside the server too, where the deployment may lack OnSuiteServer
@ExtendWith(ArquillianExtension.class)
@ServerSetup(LeakSetup.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionLeakIT {

    @EJB
    private LeakyBean leaky;

    @Deployment
    static WebArchive app() {
        return ExampleApp.war().addClass(LeakyBean.class);
    }

    @Test
    @Order(1)
    void leakedConnectionsAreClosedAndTheirSessionsReused() throws Exception {
        CephConnectionFactory factory = (CephConnectionFactory) new InitialContext().lookup(ItEnv.JNDI);
        String dir = "/documents/it-leak-" + UUID.randomUUID();
        try (CephConnection c = factory.getConnection()) {
            c.mkdirs(dir);
        }
        String path = dir + "/locked";
        for (int i = 0; i < 3 * AdapterSetup.POOL_MAX; i++) {
            // without the reclaim, call POOL_MAX + 1 waits blocking-timeout-wait-millis and fails; with the lock
            // still held by a leaked session, tryLock would find it taken
            assertTrue(leaky.leakAConnectionHoldingALock(path), "call " + i + " found the lock still held");
            int inUse = factory.getSessionStatus().slotsInUse();
            assertTrue(inUse <= AdapterSetup.POOL_MAX, "call " + i + ": " + inUse + " sessions open");
        }
        try (CephConnection c = factory.getConnection()) {
            c.deleteRecursively(dir);
        }
    }

    /** On the client: each leaked handle was reported in server.log, with where it was obtained. */
    @Test
    @Order(2)
    @RunAsClient
    void theContainerReportedEveryLeakedConnection() throws Exception {
        String log = Files.readString(ItEnv.jbossHome().resolve("standalone/log/server.log"), StandardCharsets.UTF_8);
        long reported = log.lines().filter(l -> l.contains("IJ000100")).count();
        assertTrue(reported >= 3 * AdapterSetup.POOL_MAX,
                "IJ000100 (\"Closing a connection for you\") lines in server.log: " + reported);
    }
}
