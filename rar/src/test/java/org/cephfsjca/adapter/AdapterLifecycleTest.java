package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.security.PasswordCredential;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryMode;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SlotOutcome;
import org.cephfsjca.libcephfs.TestCluster;

/** The adapter outside a container, against the real cluster: start, pool, slots, stop, identities, secrets. */
class AdapterLifecycleTest {

    @Test
    void cleanStartFindsNothingToResetAndServesConnections() throws Exception {
        String node = Adapters.freshNodeId("clean");
        CephResourceAdapter ra = Adapters.started(node, 4, null);
        try {
            RecoveryReport r = ra.getLastRecovery();
            assertEquals(RecoveryMode.RESET, r.mode());
            assertEquals(4, r.slotsChecked());
            assertEquals(4, r.notFound());
            assertEquals(0, r.sessionsReset());
            assertEquals(0, r.failed());
            assertTrue(r.summary().contains("4 slots checked, 0 sessions reset, 4 not found, 0 failed"), r.summary());
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection c = cf.getConnection()) {
                String dir = "/jca-tests/adapter-" + node;
                c.mkdirs(dir);
                c.write(dir + "/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
                assertEquals("hello", new String(c.readAllBytes(dir + "/hello.txt"), StandardCharsets.UTF_8));
                c.deleteRecursively(dir);
            }
            assertTrue(TestCluster.sessionUuids().contains(Adapters.uuid(node, 0)),
                    "the pooled session mounts with slot 0's uuid");
            assertEquals(1, cf.getSessionStatus().slotsInUse());
            // warm pool: the same session comes back
            for (int i = 0; i < 5; i++) {
                try (CephConnection c = cf.getConnection()) {
                    assertTrue(c.exists("/"));
                }
            }
            assertEquals(1, cf.getSessionStatus().slotsInUse());
        } finally {
            ra.stop();
        }
        assertFalse(TestCluster.sessionUuids().stream().anyMatch(u -> u.contains(node)),
                "a clean stop leaves no session of this node");
    }

    @Test
    void connectionsShareOneSessionAndPoolExhaustionIsClear() throws Exception {
        String node = Adapters.freshNodeId("share");
        CephResourceAdapter ra = Adapters.started(node, 2, x -> {
            x.setMaxPoolSize(2);
            x.setPoolBlockingTimeoutMillis(200);
        });
        String dir = "/jca-tests/share-" + node;
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection a = cf.getConnection(); CephConnection b = cf.getConnection()) {
                a.mkdirs(dir);
                a.write(dir + "/f", new byte[1]);
                // two connections, one CephFS session: no cap hand-off between them
                assertEquals(1, cf.getSessionStatus().slotsInUse());
                assertEquals(2, cf.getSessionStatus().connections());
                assertEquals(List.of(Adapters.uuid(node, 0)), nodeUuids(node));
                // their locks still exclude each other (flock owner ids, not sessions, tell them apart)
                try (CephLock held = a.tryLock(dir + "/f", LockMode.EXCLUSIVE).orElseThrow()) {
                    assertTrue(b.tryLock(dir + "/f", LockMode.SHARED).isEmpty(), "a's lock excludes b's");
                }
                assertTrue(b.tryLock(dir + "/f", LockMode.EXCLUSIVE).isPresent(), "free once a released it");
                // the pool is full: a bounded wait, then a clear failure
                ResourceAllocationException full = assertThrows(ResourceAllocationException.class, cf::getConnection);
                assertTrue(full.getMessage().contains("all 2 connections of the pool are in use"), full.getMessage());
                // below any pool, more connections share the same session
                CephManagedConnectionFactory raw = new CephManagedConnectionFactory();
                raw.setResourceAdapter(ra);
                ManagedConnection third = raw.createManagedConnection(null, null);
                try {
                    assertEquals(1, cf.getSessionStatus().slotsInUse());
                    assertEquals(3, cf.getSessionStatus().connections());
                } finally {
                    third.destroy();
                }
                a.deleteRecursively(dir);
            }
            assertEquals(List.of(Adapters.uuid(node, 0)), nodeUuids(node), "an idle session stays mounted");
        } finally {
            ra.stop();
        }
    }

    private static List<String> nodeUuids(String node) throws Exception {
        List<String> out = new ArrayList<>();
        for (String u : TestCluster.sessionUuids()) {
            if (Adapters.isSlotUuid(u, node)) {
                out.add(u);
            }
        }
        return out;
    }

    @Test
    void stopUnmountsSessionsInUseToo() throws Exception {
        String node = Adapters.freshNodeId("stop");
        CephResourceAdapter ra = Adapters.started(node, 3, null);
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            CephConnection inUse = cf.getConnection();
            CephConnection other = cf.getConnection();
            other.close();
            assertEquals(1, countSessions(node), "two connections share one session (plus the lease)");
            ra.stop();
            assertEquals(0, countSessions(node));
            assertFalse(TestCluster.sessionUuids().contains(Adapters.leaseUuid(node)));
            assertThrows(IllegalStateException.class, () -> inUse.exists("/"));
            inUse.close();
            assertThrows(IllegalStateException.class, cf::getConnection);
        } finally {
            ra.stop();
        }
    }

    @Test
    void invalidConfigurationFailsTheStartWithEveryProblem() {
        CephResourceAdapter ra = Adapters.configured("bad node!", 0);
        ra.setRecoveryMode("MAYBE");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> ra.start(null));
        assertTrue(e.getMessage().contains("nodeId 'bad node!'") && e.getMessage().contains("sessionSlots 0")
                && e.getMessage().contains("recoveryMode 'MAYBE'"), e.getMessage());
    }

    @Test
    void reclaimModeFailsClearlyOrFallsBackToReset() throws Exception {
        String node = Adapters.freshNodeId("reclaim");
        CephResourceAdapter strict = Adapters.configured(node, 2);
        strict.setRecoveryMode("RECLAIM");
        int before = TestCluster.sessionsOfThisProcess();
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> strict.start(null));
        assertTrue(e.getMessage().contains("does not implement RECLAIM"), e.getMessage());
        // a failed start leaves no session behind, not even the owner check's anonymous probe
        assertEquals(before, TestCluster.sessionsOfThisProcess(), "sessions of this JVM after a failed start");

        CephResourceAdapter lenient = Adapters.started(node, 2, ra -> {
            ra.setRecoveryMode("RECLAIM");
            ra.setRecoveryFallbackToReset(true);
        });
        try {
            RecoveryReport r = lenient.getLastRecovery();
            assertEquals(RecoveryMode.RESET, r.mode());
            assertEquals(RecoveryMode.RECLAIM, r.requested());
            assertTrue(r.note().contains("fell back to RESET"), r.note());
            assertTrue(r.summary().contains("requested RECLAIM"), r.summary());
        } finally {
            lenient.stop();
        }
    }

    @Test
    void noneModeSkipsRecovery() throws Exception {
        CephResourceAdapter ra = Adapters.started(Adapters.freshNodeId("none"), 3, x -> x.setRecoveryMode("NONE"));
        try {
            RecoveryReport r = ra.getLastRecovery();
            assertEquals(RecoveryMode.NONE, r.mode());
            assertEquals(0, r.slotsChecked());
            assertTrue(r.slots().stream().allMatch(s -> s.result() == SlotOutcome.Result.SKIPPED));
        } finally {
            ra.stop();
        }
    }

    @Test
    void matchingRespectsTheRequestedIdentityAndKeysStaySecret() throws Exception {
        String key = adminKey();
        String node = Adapters.freshNodeId("ident");
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("org.cephfsjca");
        root.addHandler(capture);
        CephResourceAdapter ra = Adapters.started(node, 3, x -> x.setKey(key));
        try {
            CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
            mcf.setResourceAdapter(ra);
            Subject container = new Subject();
            PasswordCredential pc = new PasswordCredential("admin", key.toCharArray());
            pc.setManagedConnectionFactory(mcf);
            container.getPrivateCredentials().add(pc);
            Subject other = new Subject();
            other.getPrivateCredentials().add(new PasswordCredential("someoneelse", "AQBx".toCharArray()));

            ManagedConnection viaContainer = mcf.createManagedConnection(container, null);
            try {
                Set<ManagedConnection> pool = Set.of(viaContainer);
                assertEquals(viaContainer, mcf.matchManagedConnections(pool, container, null));
                assertNull(mcf.matchManagedConnections(pool, other, null), "another identity must not match");
                assertThrows(ResourceException.class, () -> viaContainer.getConnection(other, null));
                CephConnection c = (CephConnection) viaContainer.getConnection(container, null);
                assertTrue(c.exists("/"));
                c.close();
                assertTrue(mcf.getInvalidConnections(pool).isEmpty());
                for (Object o : List.of(ra, mcf, viaContainer, c, ra.getLastRecovery(), pc.getUserName())) {
                    assertFalse(String.valueOf(o).contains(key), "key in toString of " + o.getClass());
                }
                assertFalse(String.valueOf(ra.getKey()).contains(key));
            } finally {
                viaContainer.destroy();
            }
        } finally {
            ra.stop();
            root.removeHandler(capture);
        }
        assertFalse(logged.isEmpty(), "the adapter logs its start");
        for (String line : logged) {
            assertFalse(line.contains(key), "key in log line: " + line);
        }
    }

    /** Pooled sessions of {@code node} (slot uuids; the lease session is not counted). */
    static long countSessions(String node) throws Exception {
        return TestCluster.sessionUuids().stream().filter(u -> Adapters.isSlotUuid(u, node)).count();
    }

    /** client.admin's key, read from the keyring the cluster script wrote (next to ceph.conf). */
    static String adminKey() throws Exception {
        Path keyring = Path.of(TestCluster.conf()).resolveSibling("ceph.client.admin.keyring");
        Matcher m = Pattern.compile("key\\s*=\\s*(\\S+)").matcher(Files.readString(keyring));
        assertTrue(m.find(), "no key in " + keyring);
        assertNotNull(m.group(1));
        return m.group(1);
    }
}
