package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.Json;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The crash test of arquillian-tests' CrashRecoveryIT on Payara Micro, in one chain of three boots of one node id
 * (each boot ~1 min on a loaded machine, so the two scenarios share them):
 * <ol>
 * <li>boot with recoveryMode NONE, store and check out a document (its lock held by the server's pooled session, the
 * data fsynced), SIGKILL the JVM: an independent client finds the lock still held by the dead session;</li>
 * <li>the NONE control: boot again with NONE; the adapter resets nothing and 20 s after its start the lock is still
 * held, the dead sessions still in the MDS; SIGKILL again;</li>
 * <li>boot with RESET: the adapter's start (during the post-boot commands' deploy of the .rar) finds the previous
 * owner dead and resets the dead sessions; the independent client gets the lock within 5 s of that recovery, the
 * data is intact, the status endpoint reports the resets, and the app works with the document again.</li>
 * </ol>
 * Payara Micro keeps no configuration between boots (a fresh runtime directory each time), like the WildFly crash
 * test's read-only server configuration: nothing deployed before the crash comes back by itself.
 */
class PayaraCrashRecoveryIT {

    private static final int SLOTS = 4;
    private static final int POOL_MAX = 4;
    private static final long LOCK_FREE_LIMIT_MS = 5_000;
    private static final long NONE_WAIT_MS = 20_000;

    private final String node = ItEnv.nodeId("payara-crash");
    private final String name = "crash/" + node + ".txt";
    private final String url = "/documents/" + name;
    private PayaraProcess server;

    @AfterEach
    void stopAndCleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
        int reset = Ceph.resetSessions(node, SLOTS);
        if (reset > 0) {
            System.out.printf("[it] cleanup: reset %d stale session(s) of node %s%n", reset, node);
        }
        try (CephMount m = Ceph.mount()) {
            Ceph.deleteTree(m, url);
            Ceph.deleteTree(m, ItEnv.lockFileOf(name));
        }
    }

    private PayaraProcess boot(String mode, String label) throws Exception {
        PayaraConfig config = PayaraConfig.write(PayaraEnv.workDir("crash"), PayaraEnv.intProp("it.payara.crash.port"),
                node, mode, SLOTS, POOL_MAX);
        server = PayaraProcess.start(config, label);
        System.out.printf("[it] payara %s (%s) booted in %d ms, pid %d%n", label, mode, server.bootMillis, server.pid());
        return server;
    }

    private static Http.Resp status() {
        return Http.get("http://127.0.0.1:" + PayaraEnv.prop("it.payara.crash.port") + "/cephfs-jca-example/api/status");
    }

    private static String api(String path) {
        return "http://127.0.0.1:" + PayaraEnv.prop("it.payara.crash.port") + "/cephfs-jca-example/api" + path;
    }

    @Test
    void noneKeepsTheDeadSessionsLockAndResetFreesIt() throws Exception {
        // 1: the crash
        boot("NONE", "1-none");
        String content = "contract of node " + node + "\n" + UUID.randomUUID() + "\n";
        Http.Resp put = Http.put(api(url), content.repeat(2000));
        assertEquals(201, put.status(), put.toString());
        String sha256 = Json.str(put.json(), "sha256");
        Http.Resp co = Http.post(api(url + "/checkout"));
        assertEquals(200, co.status(), co.toString());
        List<String> dead = Ceph.slotSessionsOf(node);
        assertFalse(dead.isEmpty(), "the server has sessions of node " + node);
        assertTrue(Ceph.sessionsOf(node).contains(ItEnv.leaseUuid(node)), "and its lease session");
        long pid = server.pid();
        server.kill();
        System.out.printf("[it] SIGKILLed Payara Micro pid %d holding the lock with session(s) %s%n", pid, dead);
        String lock = ItEnv.lockFileOf(name);
        try (CephMount observer = Ceph.mount()) {
            Ceph.Probe p = Ceph.probe(observer, lock, 3_000);
            assertNotEquals(Ceph.Probe.FREE, p, "the dead session must still hold the lock right after the crash");
            assertTrue(new HashSet<>(Ceph.sessionsOf(node)).containsAll(dead), "dead sessions still in the MDS");
        }

        // 2: the NONE control
        boot("NONE", "2-none");
        Object s2 = status().json();
        assertEquals("NONE", Json.str(s2, "recovery", "mode"));
        assertEquals(0L, Json.num(s2, "recovery", "sessionsReset"), s2.toString());
        assertTrue(Json.str(s2, "recovery", "note").contains("lease session: RESET"), s2.toString());
        long started = Instant.parse(Json.str(s2, "recovery", "startedAt")).toEpochMilli();
        long wait = started + NONE_WAIT_MS - System.currentTimeMillis();
        if (wait > 0) {
            TimeUnit.MILLISECONDS.sleep(wait); // the control's own duration: "still held 20 s after the start"
        }
        try (CephMount observer = Ceph.mount()) {
            Ceph.Probe p = Ceph.probe(observer, lock, 3_000);
            long since = System.currentTimeMillis() - started;
            assertNotEquals(Ceph.Probe.FREE, p, "with recoveryMode NONE the dead session keeps the lock");
            assertTrue(Ceph.sessionsOf(node).containsAll(dead), "dead sessions still there: " + Ceph.sessionsOf(node));
            System.out.printf("[it] PAYARA CRASH/NONE node %s: %d ms after the adapter's start the lock is still %s%n",
                    node, since, p);
        }
        server.kill();

        // 3: RESET
        try (CephMount observer = Ceph.mount()) {
            Future<Long> granted = Ceph.awaitLock(observer, lock, 400_000);
            boot("RESET", "3-reset");
            long grantedAt = granted.get(60, TimeUnit.SECONDS);
            assertEquals(sha256, Ceph.sha256(observer, "/documents/" + name), "the fsynced data survived intact");
            Object s3 = status().json();
            assertEquals("RESET", Json.str(s3, "recovery", "mode"));
            assertEquals(node, Json.str(s3, "recovery", "nodeId"));
            assertEquals((long) dead.size(), Json.num(s3, "recovery", "sessionsReset"),
                    "one reset per session the first server had: " + dead + "; " + s3);
            assertEquals(0L, Json.num(s3, "recovery", "failed"), s3.toString());
            String note = Json.str(s3, "recovery", "note");
            assertTrue(note.contains("dead") && note.contains("lease session: RESET"), note);
            long recoveryStart = Instant.parse(Json.str(s3, "recovery", "startedAt")).toEpochMilli();
            long recoveryEnd = recoveryStart + Json.num(s3, "recovery", "millis");
            long freeAfterRecoveryMs = grantedAt - recoveryEnd;
            assertTrue(freeAfterRecoveryMs < LOCK_FREE_LIMIT_MS, "lock free within " + LOCK_FREE_LIMIT_MS
                    + " ms of the recovery; it took " + freeAfterRecoveryMs + " ms");
            assertTrue(Ceph.sessionsOf(node).stream().noneMatch(dead::contains),
                    "dead sessions gone: " + Ceph.sessionsOf(node));
            assertEquals(200, Http.post(api(url + "/checkout")).status());
            assertEquals(200, Http.post(api(url + "/checkin")).status());
            assertEquals(sha256, Http.download(api(url)).sha256());
            System.out.printf("[it] PAYARA CRASH/RESET node %s: recovery %d ms (%s); lock free %d ms after it ended%n",
                    node, Json.num(s3, "recovery", "millis"), Json.str(s3, "recovery", "summary"), freeAfterRecoveryMs);
            assertEquals(204, Http.delete(api(url)).status());
        }
        server.close();
        server = null;
        assertEquals(List.of(), Ceph.awaitNoSessionsOf(node, 30_000), "the stop left no session of " + node);
    }
}
