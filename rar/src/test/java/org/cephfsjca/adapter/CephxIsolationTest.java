package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.resource.spi.ResourceAdapterInternalException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SlotOutcome;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A cephx user restricted to a path ({@code ceph fs authorize cephfs client.x /apps/x rw}) confines the adapter to
 * it; a reset under a different cephx user than the session's owner answers EPERM, evicts the session anyway, and is
 * reported as what it did.
 */
class CephxIsolationTest {

    private static final String ID = "jca-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String HOME = "/apps/" + ID;
    private static String key;
    private static CephMount admin;

    @BeforeAll
    static void createRestrictedUser() throws Exception {
        admin = TestCluster.mounted();
        admin.mkdirs(HOME, 0755);
        admin.mkdirs("/outside-" + ID, 0755);
        String keyring = TestCluster.ceph("fs", "authorize", TestCluster.fsName(), "client." + ID, HOME, "rw");
        Matcher m = Pattern.compile("key\\s*=\\s*(\\S+)").matcher(keyring);
        assertTrue(m.find(), keyring);
        key = m.group(1);
    }

    @AfterAll
    static void removeRestrictedUser() throws Exception {
        TestCluster.ceph("auth", "del", "client." + ID);
        if (admin != null) {
            TestCluster.deleteTree(admin, HOME);
            TestCluster.deleteTree(admin, "/outside-" + ID);
            admin.close();
        }
    }

    private static CephResourceAdapter restricted(String node, String mountRoot) {
        CephResourceAdapter ra = Adapters.configured(node, 2);
        ra.setUser(ID);
        ra.setKey(key);
        ra.setMountRoot(mountRoot);
        return ra;
    }

    @Test
    void restrictedUserIsConfinedToItsPath() throws Exception {
        // outside its path: the adapter cannot even start, and says why (without the key)
        CephResourceAdapter outside = restricted(Adapters.freshNodeId("cx-out"), "/");
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> outside.start(null));
        assertTrue(e.getMessage().contains("ceph_mount: EPERM"), e.getMessage());
        assertFalse(e.getMessage().contains(key), "key in message");
        try (CephMount direct = CephMount.create(ID)) {
            direct.readConfigFile(TestCluster.conf());
            direct.setOption("key", key);
            direct.init();
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> direct.mount("/outside-" + ID));
            assertTrue(denied.getMessage().contains("/outside-" + ID), denied.getMessage());
        }

        // inside: works, and what it writes is in its home seen from outside
        CephResourceAdapter inside = restricted(Adapters.freshNodeId("cx-in"), HOME);
        inside.start(null);
        try (CephConnection c = Adapters.factory(inside).getConnection()) {
            c.write("/doc.txt", new byte[] {7});
            assertArrayEquals(new byte[] {7}, admin.getXattr(HOME, "ceph.dir.files").length > 0
                    ? c.readAllBytes("/doc.txt") : null);
            assertTrue(admin.exists(HOME + "/doc.txt"), "written inside the user's home");
            assertFalse(c.exists("/outside-" + ID), "nothing outside the home is visible");
            assertThrows(IllegalArgumentException.class, () -> c.stat("/../outside-" + ID));
        } finally {
            inside.stop();
        }
    }

    @Test
    void resetUnderAnotherCephxUserAnswersEpermEvictsAndIsReported() throws Exception {
        String node = Adapters.freshNodeId("cx-eperm");
        // the restricted adapter's uuids (its secret derives from its own key: they differ from client.admin's)
        String uuid0 = new org.cephfsjca.adapter.session.SessionOpener(new org.cephfsjca.adapter.config.AdapterConfig
                .Builder().configFile(TestCluster.conf()).user(ID).key(key).nodeId(node).build(node)).uuids().of(0);
        // a stale-looking session of slot 0 owned by client.admin
        try (CephMount adminSession = TestCluster.mounted(uuid0)) {
            CephResourceAdapter ra = restricted(node, HOME);
            ra.start(null);
            try {
                RecoveryReport r = ra.getLastRecovery();
                SlotOutcome slot0 = r.slots().get(0);
                // Ceph 16.2.15 answers EPERM and evicts the other user's session anyway (a missing return in
                // Server::handle_client_reclaim; ceph-facts.md): recovery checks the outcome and reports it
                // (CephxResetTruthTest), so the slot is RESET, "EPERM, verified evicted".
                assertEquals(SlotOutcome.Result.RESET, slot0.result(), r.summary());
                assertTrue(slot0.detail().startsWith("EPERM, verified evicted"), slot0.detail());
                assertTrue(r.summary().contains("0 failed"), r.summary());
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                while (TestCluster.sessionUuids().contains(uuid0) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertFalse(TestCluster.sessionUuids().contains(uuid0),
                        "the EPERM reset evicted the other user's session anyway");
                // the uuid is free now: the pool's session mounts with it (its own reset finds nothing, ENOENT)
                try (CephConnection c = Adapters.factory(ra).getConnection()) {
                    assertTrue(c.exists("/"));
                }
                assertTrue(TestCluster.sessionUuids().contains(uuid0));
            } finally {
                ra.stop();
            }
        }
    }
}
