package org.cephfsjca.it.twoservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Cluster takeover between two real WildFly servers on this machine, sharing the test cluster with the defaults
 * (docs/cluster.md: same uuidPrefix, cephx user and mountRoot, takeover on, node id = jboss.node.name), each with the
 * .rar and the example app: an editor uploads a document through server A and checks it out there (A's session holds
 * the lock of the document's lock file; B's check-out is refused), A is SIGKILLed, and B checks the same document out
 * as soon as it has taken A over: within {@link #BOUND_MS} of the kill, with the time printed. B's log names the
 * takeover and no fencing; A's sessions are gone from the MDS, and B's go with its clean stop.
 */
@ExtendWith(ArquillianExtension.class)
// runs in the failsafe execution of the "wildfly-two" group (pom.xml; the tag keeps other classes out of it); -Dit.test
// overrides the executions' includes, so the other executions see this class too and skip it here
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly-two")
@Tag("two-servers")
@RunAsClient
class TwoServersTakeoverIT {

    /** Fails a check-out on B that has not succeeded this long after the kill (the takeover takes about 3 s). */
    private static final long BOUND_MS = 30_000;
    /** between two check-out attempts on B */
    private static final long POLL_MS = 100;
    /** the adapter's default sessionSlots: what the clean-up resets when a run leaves sessions behind */
    private static final int DEFAULT_SLOTS = 16;

    @ArquillianResource
    private ContainerController controller;

    private final WildFlyNode a = new WildFlyNode("a");
    private final WildFlyNode b = new WildFlyNode("b");
    private final String folder = "it-two-" + UUID.randomUUID().toString().substring(0, 8);
    private final String name = folder + "/contract.txt";
    private final ExecutorService requests = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "two-servers-request");
        t.setDaemon(true);
        return t;
    });

    @Test
    void survivorChecksOutTheDocumentOfTheKilledServer() throws Exception {
        Ceph.mount().close(); // fails right here, clearly, without a cluster
        ItUsers.ensure(); // before the starts: each base directory copies the users
        Http editor = Http.as(ItUsers.EDITOR);
        String doc = "/documents/" + name;

        a.start(controller);
        a.deployAdapterAndApp();
        b.start(controller);
        b.deployAdapterAndApp();

        String content = "contract checked out on " + a + "\n" + UUID.randomUUID() + "\n";
        Http.Resp put = editor.doPut(a.url(doc), content.repeat(1000));
        assertEquals(201, put.status(), put.toString());
        String sha256 = Json.str(put.json(), "sha256");
        Http.Resp onA = editor.doPost(a.url(doc + "/checkout"));
        assertEquals(200, onA.status(), "check-out on A: " + onA);
        Http.Resp refused = editor.doPost(b.url(doc + "/checkout"));
        assertEquals(409, refused.status(), "A's lock holds on B too: " + refused);
        assertEquals("locked", refused.error(), refused.toString());

        List<String> deadSessions = Ceph.sessionsOf(a.nodeId());
        assertTrue(deadSessions.contains(ItEnv.leaseUuid(a.nodeId())), "A's lease session: " + deadSessions);
        assertFalse(Ceph.slotSessionsOf(a.nodeId()).isEmpty(), "A's slot sessions: " + deadSessions);

        long killed = a.kill9();
        Map<String, Integer> seen = new LinkedHashMap<>();
        long checkedOutMs = checkOutWithinBound(editor, b.url(doc + "/checkout"), killed, seen);
        String takeover = awaitLogLine(b, "node " + b.nodeId() + " took over dead node " + a.nodeId() + " ", killed);
        System.out.printf("[it] TWO-SERVERS: check-out on %s %d ms after the SIGKILL of %s (answers before: %s); %s%n",
                b, checkedOutMs, a, seen, takeover.substring(takeover.indexOf("cephfs-jca:")));

        a.forceStop(controller); // so that Arquillian knows it is down

        List<String> fenced = b.log().lines().stream().filter(l -> l.contains("was FENCED")).toList();
        assertTrue(fenced.isEmpty(), "B was never fenced: " + fenced);
        List<String> left = Ceph.sessionsOf(a.nodeId());
        assertTrue(left.isEmpty(), "the takeover reset A's sessions " + deadSessions + "; left in the MDS: " + left);

        assertEquals(sha256, editor.doDownload(b.url(doc)).sha256(), "the document, read through B");
        Http.Resp in = editor.doPost(b.url(doc + "/checkin"));
        assertEquals(200, in.status(), "check-in on B: " + in);
        assertEquals(204, editor.doDelete(b.url(doc)).status());

        b.stop(controller);
        List<String> bLeft = Ceph.awaitNoSessionsOf(b.nodeId(), 10_000);
        assertTrue(bLeft.isEmpty(), "B's clean stop left sessions in the MDS: " + bLeft);
    }

    /**
     * Tries the check-out on B every {@link #POLL_MS} until it succeeds; a refusal must be 409 "locked" (A's dead
     * session still holds the lock). Fails when {@link #BOUND_MS} after {@code killedNanos} have passed, also when a
     * request hangs. Returns the milliseconds from the kill to the successful answer; {@code seen} counts the others.
     */
    private long checkOutWithinBound(Http editor, String url, long killedNanos, Map<String, Integer> seen)
            throws Exception {
        long deadline = killedNanos + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (true) {
            Future<Http.Resp> attempt = requests.submit(() -> editor.doPost(url));
            Http.Resp r;
            try {
                r = attempt.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                attempt.cancel(true);
                fail("no check-out on " + b + " within " + BOUND_MS + " ms of the kill: a request hung; before: "
                        + seen);
                return -1;
            }
            long now = System.nanoTime();
            if (r.status() == 200) {
                return TimeUnit.NANOSECONDS.toMillis(now - killedNanos);
            }
            assertEquals(409, r.status(), "while A's session holds the lock, B answers 409: " + r);
            assertEquals("locked", r.error(), r.toString());
            seen.merge(r.status() + " " + r.error(), 1, Integer::sum);
            if (now > deadline) {
                fail("no check-out on " + b + " within " + BOUND_MS + " ms of the kill; answers: " + seen);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    /** The first line of {@code node}'s log containing {@code text}, waited for within the bound of the kill. */
    private static String awaitLogLine(WildFlyNode node, String text, long killedNanos) throws InterruptedException {
        long deadline = killedNanos + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (true) {
            for (String l : node.log().lines()) {
                if (l.contains(text)) {
                    return l;
                }
            }
            if (System.nanoTime() > deadline) {
                fail(node + " logged no \"" + text + "\" within " + BOUND_MS + " ms of the kill");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @AfterEach
    void stopServersAndCleanUp() throws Exception {
        requests.shutdownNow();
        List<String> problems = new ArrayList<>();
        for (WildFlyNode n : List.of(b, a)) {
            if (n.isStarted(controller)) {
                try {
                    n.stop(controller);
                } catch (AssertionError | RuntimeException e) {
                    problems.add(n + ": " + e);
                    n.forceStop(controller);
                }
            }
        }
        // never leave sessions of a test node behind, whatever happened
        for (WildFlyNode n : List.of(a, b)) {
            int reset = Ceph.resetSessions(n.nodeId(), DEFAULT_SLOTS);
            if (reset > 0) {
                System.out.printf("[it] clean-up: reset %d session(s) of %s%n", reset, n);
            }
        }
        try (CephMount m = Ceph.mount()) {
            Ceph.deleteTree(m, ItEnv.DOCUMENTS + "/" + folder);
            Ceph.deleteTree(m, ItEnv.lockFileOf(name));
        }
        if (!problems.isEmpty()) {
            System.out.println("[it] clean-up: " + problems);
        }
    }
}
