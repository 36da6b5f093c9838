package org.cephfsjca.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.Cli;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The lifecycle hook for real: a document is checked out (its CephFS lock held by the server's pooled session, its
 * data fsynced), the server JVM is SIGKILLed, an independent client in this JVM finds the lock still held by the
 * dead session, the server is started again and the adapter redeployed with the same node id.
 * <ul>
 * <li>recoveryMode RESET: the adapter's start resets the dead session; the independent client gets the lock within
 * a few seconds of that start, the data is intact, and the app's status endpoint reports the reset;</li>
 * <li>recoveryMode NONE: nothing is reset, the lock is still held 20 s after the restart (the suite then resets
 * the stale sessions itself so that it leaves nothing behind).</li>
 * </ul>
 * The container is in manual mode with a read-only server configuration, so nothing deployed before the crash
 * comes back by itself.
 */
@ExtendWith(ArquillianExtension.class)
// runs in the failsafe execution of the "wildfly-crash" container (pom.xml); -Dit.test=X selects it in both
// executions (it overrides their includes), so the suite server's execution skips it
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly-crash")
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    private static final String CONTAINER = "wildfly-crash";
    private static final int SLOTS = 4;
    private static final int POOL_MAX = 4;
    /** "within a few seconds of the adapter's start" */
    private static final long LOCK_FREE_LIMIT_MS = 5_000;
    private static final long NONE_WAIT_MS = 20_000;

    @ArquillianResource
    private ContainerController controller;

    private final List<String> cleanupNodes = new ArrayList<>();
    private final List<String> cleanupFiles = new ArrayList<>();

    @AfterEach
    void stopServerAndCleanUp() throws Exception {
        if (controller.isStarted(CONTAINER)) {
            try (Mgmt mgmt = Mgmt.connect()) {
                mgmt.undeploy(ItEnv.WAR_NAME);
                mgmt.undeploy(ItEnv.RAR_NAME);
            } catch (AssertionError | RuntimeException e) {
                System.out.println("[it] cleanup: " + e);
            }
            controller.stop(CONTAINER);
        }
        // never leave stale sessions of a test node behind, whatever happened
        for (String node : cleanupNodes) {
            int reset = Ceph.resetSessions(node, SLOTS);
            if (reset > 0) {
                System.out.printf("[it] cleanup: reset %d stale session(s) of node %s%n", reset, node);
            }
        }
        if (!cleanupFiles.isEmpty()) {
            try (CephMount m = Ceph.mount()) {
                for (String f : cleanupFiles) {
                    Ceph.deleteTree(m, f);
                }
            }
        }
    }

    @Test
    @Order(1)
    void resetAtStartFreesTheDeadSessionsLock() throws Exception {
        Scenario s = crash("reset", "RESET");

        // restart; the adapter's start (activation by the CLI script) resets the dead session
        long boot = startServer();
        try (Mgmt mgmt = Mgmt.connect(); CephMount observer = Ceph.mount()) {
            mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
            // poll for the lock from now on: the first open blocks on the dead session's caps until the reset
            Future<Long> granted = Ceph.awaitLock(observer, s.lockPath, 60_000);
            long cliStart = System.currentTimeMillis();
            Cli.run("configure-adapter.cli", Cli.adapterProperties(s.node, "RESET", SLOTS, POOL_MAX));
            long cliEnd = System.currentTimeMillis();
            long grantedAt = granted.get(60, TimeUnit.SECONDS);
            assertEquals(s.sha256, Ceph.sha256(observer, s.cephPath), "the fsynced data survived the crash intact");

            long warMs = mgmt.deploy(ItEnv.WAR_NAME, ItEnv.warFile());
            Object status = Http.get("/status").json();
            assertEquals("RESET", Json.str(status, "recovery", "mode"));
            assertEquals(s.node, Json.str(status, "recovery", "nodeId"));
            assertEquals((long) s.deadSessions.size(), Json.num(status, "recovery", "sessionsReset"),
                    "one reset per session the dead server had: " + s.deadSessions + "; " + status);
            assertEquals(0L, Json.num(status, "recovery", "failed"), status.toString());
            assertEquals((long) SLOTS, Json.num(status, "recovery", "slotsChecked"));
            String note = Json.str(status, "recovery", "note");
            assertTrue(note.contains("dead") && note.contains("lease session: RESET"),
                    "the previous owner was found dead and its lease session reset: " + note);
            long resetMs = Json.num(status, "recovery", "millis");
            long recoveryStart = Instant.parse(Json.str(status, "recovery", "startedAt")).toEpochMilli();
            long recoveryEnd = recoveryStart + resetMs;
            assertTrue(recoveryStart >= cliStart && recoveryEnd <= cliEnd + 1,
                    "the recovery ran during the activation by configure-adapter.cli");
            long freeAfterStartMs = grantedAt - recoveryStart;
            long freeAfterRecoveryMs = grantedAt - recoveryEnd;
            assertTrue(freeAfterRecoveryMs < LOCK_FREE_LIMIT_MS, "the lock must be free within "
                    + LOCK_FREE_LIMIT_MS + " ms of the adapter's start; it took " + freeAfterStartMs
                    + " ms from the start of its recovery");
            List<?> slots = (List<?>) Json.at(status, "recovery", "slots");
            for (Object slot : slots) {
                String uuid = Json.str(slot, "uuid");
                assertEquals(s.deadSessions.contains(uuid) ? "RESET" : "NOT_FOUND", Json.str(slot, "result"),
                        slot.toString());
            }
            // the dead session is gone from the MDS
            assertTrue(Ceph.sessionsOf(s.node).stream().noneMatch(s.deadSessions::contains),
                    "dead sessions must be gone: " + Ceph.sessionsOf(s.node));
            // the app works with the document again
            assertEquals(200, Http.post(s.url + "/checkout").status());
            assertEquals(200, Http.post(s.url + "/checkin").status());
            assertEquals(s.sha256, Http.download(s.url).sha256());

            System.out.printf("[it] CRASH/RESET node %s: killed with %d session(s) %s; restart %d ms; adapter "
                            + "recovery %d ms (%s); lock free for the independent client %d ms after the recovery "
                            + "started (%d ms after it ended); war deploy %d ms; note: %s%n", s.node,
                    s.deadSessions.size(), s.deadSessions, boot, resetMs, Json.str(status, "recovery", "summary"),
                    freeAfterStartMs, freeAfterRecoveryMs, warMs, note);

            assertEquals(204, Http.delete(s.url).status());
            undeployAndCheckNoSessionsLeft(mgmt, s.node, List.of());
        }
    }

    @Test
    @Order(2)
    void withRecoveryNoneTheLockStaysHeld() throws Exception {
        Scenario s = crash("none", "NONE");

        long boot = startServer();
        try (Mgmt mgmt = Mgmt.connect(); CephMount observer = Ceph.mount()) {
            mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
            Cli.run("configure-adapter.cli", Cli.adapterProperties(s.node, "NONE", SLOTS, POOL_MAX));
            long activated = System.nanoTime();
            mgmt.deploy(ItEnv.WAR_NAME, ItEnv.warFile());
            Object status = Http.get("/status").json();
            assertEquals("NONE", Json.str(status, "recovery", "mode"));
            assertEquals(0L, Json.num(status, "recovery", "sessionsReset"), status.toString());
            // the lease session holds no application state: it is reset even in mode NONE
            assertTrue(Json.str(status, "recovery", "note").contains("lease session: RESET"), status.toString());

            long wait = NONE_WAIT_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - activated);
            if (wait > 0) {
                TimeUnit.MILLISECONDS.sleep(wait);
            }
            Ceph.Probe p = Ceph.probe(observer, s.lockPath, 3_000);
            long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - activated);
            assertNotEquals(Ceph.Probe.FREE, p, "with recoveryMode NONE the dead session keeps the lock");
            assertTrue(Ceph.sessionsOf(s.node).containsAll(s.deadSessions),
                    "the dead sessions are still in the MDS: " + Ceph.sessionsOf(s.node));
            System.out.printf("[it] CRASH/NONE node %s: restart %d ms; %d ms after the adapter's start the lock is "
                    + "still %s by the dead session(s) %s%n", s.node, boot, since, p, s.deadSessions);

            // undeploying closes the new incarnation's sessions; only the dead ones remain, until we reset them
            undeployAndCheckNoSessionsLeft(mgmt, s.node, s.deadSessions);
            long t0 = System.currentTimeMillis();
            int reset = Ceph.resetSessions(s.node, SLOTS);
            assertEquals(s.deadSessions.size(), reset, "stale sessions reset by the suite");
            Future<Long> granted = Ceph.awaitLock(observer, s.lockPath, 30_000);
            long grantedAt = granted.get(40, TimeUnit.SECONDS);
            System.out.printf("[it] CRASH/NONE cleanup: reset %d stale session(s), lock free %d ms later%n", reset,
                    grantedAt - t0);
            assertEquals(s.sha256, Ceph.sha256(observer, s.cephPath));
            observer.unlink(s.cephPath);
            assertTrue(Ceph.awaitNoSessionsOf(s.node, 10_000).isEmpty());
        }
    }

    /** What the crashed server left. */
    private static final class Scenario {
        String node;
        String url;
        String cephPath;
        /** the document's lock file, which the check-out locks (docs/example-app.md) */
        String lockPath;
        String sha256;
        List<String> deadSessions;
    }

    /**
     * Starts the server, deploys rar + app with {@code mode} for a fresh node id, stores and checks out a document,
     * SIGKILLs the server, and checks from this JVM that the lock is still held.
     */
    private Scenario crash(String label, String mode) throws Exception {
        Scenario s = new Scenario();
        s.node = ItEnv.nodeId("crash-" + label);
        cleanupNodes.add(s.node);
        String name = "crash/" + s.node + ".txt";
        s.url = "/documents/" + name;
        s.cephPath = "/documents/" + name;
        s.lockPath = ItEnv.lockFileOf(name);
        cleanupFiles.add(s.cephPath);
        cleanupFiles.add(s.lockPath);
        ItUsers.ensure();

        long boot = startServer();
        long rarMs;
        long cliMs;
        long warMs;
        try (Mgmt mgmt = Mgmt.connect()) {
            rarMs = mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
            long t0 = System.nanoTime();
            Cli.run("configure-adapter.cli", Cli.adapterProperties(s.node, mode, SLOTS, POOL_MAX));
            cliMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            warMs = mgmt.deploy(ItEnv.WAR_NAME, ItEnv.warFile());
        }
        System.out.printf("[it] server boot %d ms; deploy rar %d ms; configure-adapter.cli (incl. adapter start) %d ms;"
                + " deploy war %d ms%n", boot, rarMs, cliMs, warMs);

        String content = "contract of node " + s.node + "\n" + UUID.randomUUID() + "\n";
        Http.Resp put = Http.put(s.url, content.repeat(2000));
        assertEquals(201, put.status(), put.toString());
        s.sha256 = Json.str(put.json(), "sha256");
        Http.Resp co = Http.post(s.url + "/checkout");
        assertEquals(200, co.status(), co.toString());
        s.deadSessions = Ceph.slotSessionsOf(s.node);
        assertFalse(s.deadSessions.isEmpty(), "the server has sessions of node " + s.node);
        assertTrue(Ceph.sessionsOf(s.node).contains(ItEnv.leaseUuid(s.node)), "and its lease session");

        // SIGKILL the server JVM (ContainerController.kill() would stop it gracefully)
        ProcessHandle server = serverProcess();
        long t0 = System.nanoTime();
        assertTrue(server.destroyForcibly(), "SIGKILL sent to " + server.pid());
        server.onExit().get(30, TimeUnit.SECONDS);
        System.out.printf("[it] SIGKILLed WildFly pid %d (dead %d ms later) holding the lock on %s with session(s) "
                + "%s%n", server.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), s.lockPath,
                s.deadSessions);
        controller.kill(CONTAINER); // so that Arquillian knows it is down

        // from outside: the dead session still holds the lock (the open may even block on its caps)
        try (CephMount observer = Ceph.mount()) {
            Ceph.Probe p = Ceph.probe(observer, s.lockPath, 3_000);
            assertNotEquals(Ceph.Probe.FREE, p, "the dead session must still hold the lock right after the crash");
            assertTrue(new HashSet<>(Ceph.sessionsOf(s.node)).containsAll(s.deadSessions),
                    "the dead server's sessions are still in the MDS");
            System.out.printf("[it] after the crash an independent client finds the lock %s%n", p);
        }
        return s;
    }

    private long startServer() {
        long t0 = System.nanoTime();
        controller.start(CONTAINER);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** The WildFly JVM Arquillian started: a child of this JVM running jboss-modules with our node name. */
    private static ProcessHandle serverProcess() {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            Optional<String> cmd = p.info().commandLine();
            if (cmd.isPresent() && cmd.get().contains("jboss-modules.jar")
                    && cmd.get().contains("-Djboss.node.name=it-crash")) {
                found.add(p);
            }
        });
        if (found.size() != 1) {
            fail("expected one WildFly child process, found " + found);
        }
        return found.get(0);
    }

    /** Undeploys app and adapter; then the only sessions of {@code node} left in the MDS must be {@code expected}. */
    private static void undeployAndCheckNoSessionsLeft(Mgmt mgmt, String node, List<String> expected)
            throws InterruptedException {
        mgmt.undeploy(ItEnv.WAR_NAME);
        mgmt.undeploy(ItEnv.RAR_NAME);
        Cli.run("remove-adapter.cli", Map.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left = Ceph.sessionsOf(node);
        while (!new HashSet<>(left).equals(new HashSet<>(expected)) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            left = Ceph.sessionsOf(node);
        }
        assertEquals(new HashSet<>(expected), new HashSet<>(left),
                "after undeploy, the sessions of node " + node + " in the MDS");
    }
}
