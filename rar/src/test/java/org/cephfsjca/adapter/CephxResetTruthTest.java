package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SlotOutcome;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A reset from another cephx user: Ceph 16.2.15 answers EPERM and evicts the session anyway. The start's report must
 * say what happened (RESET, "EPERM, verified evicted"), the session must really be gone, and the check's own session
 * (a mount with the uuid) must be gone again when the report is out.
 */
class CephxResetTruthTest {

    private static final String ID = "jca-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String HOME = "/apps/" + ID;
    private static String key;
    private static CephMount admin;

    @BeforeAll
    static void createRestrictedUser() throws Exception {
        admin = TestCluster.mounted();
        admin.mkdirs(HOME, 0755);
        String keyring = TestCluster.ceph("fs", "authorize", TestCluster.fsName(), "client." + ID, HOME, "rw");
        Matcher m = Pattern.compile("key\\s*=\\s*(\\S+)").matcher(keyring);
        assertTrue(m.find(), "no key in the output of ceph fs authorize");
        key = m.group(1);
    }

    @AfterAll
    static void removeRestrictedUser() throws Exception {
        TestCluster.ceph("auth", "del", "client." + ID);
        if (admin != null) {
            TestCluster.deleteTree(admin, HOME);
            admin.close();
        }
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEpermResetIsReportedAsWhatItDid() throws Exception {
        String node = Adapters.freshNodeId("cx-truth");
        String uuid0 = new SessionOpener(new AdapterConfig.Builder().configFile(TestCluster.conf()).user(ID).key(key)
                .nodeId(node).build(node)).uuids().of(0);
        // a session of slot 0 owned by client.admin (live: Ceph evicts it all the same)
        try (CephMount other = TestCluster.mounted(uuid0)) {
            Long otherId = TestCluster.sessionIdsByUuid().get(uuid0);
            assertTrue(otherId != null, "client.admin's session with " + uuid0 + " is in the MDS");
            CephResourceAdapter ra = Adapters.configured(node, 2);
            ra.setUser(ID);
            ra.setKey(key);
            ra.setMountRoot(HOME);
            long t0 = System.nanoTime();
            ra.start(null);
            long startMillis = (System.nanoTime() - t0) / 1_000_000;
            try {
                RecoveryReport r = ra.getLastRecovery();
                SlotOutcome slot0 = r.slots().get(0);
                assertEquals(SlotOutcome.Result.RESET, slot0.result(), r.summary() + " / " + slot0);
                assertNull(slot0.errno(), slot0.toString());
                assertTrue(slot0.detail().startsWith("EPERM, verified evicted (Ceph 16"), slot0.detail());
                assertTrue(slot0.detail().contains(uuid0), slot0.detail());
                assertFalse(slot0.detail().contains(key) || r.summary().contains(key), "key in the report");
                assertEquals(0, r.failed(), r.summary());
                assertEquals(1, r.sessionsReset(), r.summary());
                // what the report says is true: client.admin's session is gone, and so is the check's own session
                Map<String, Long> now = TestCluster.sessionIdsByUuid();
                assertFalse(now.containsKey(uuid0), "no session holds " + uuid0 + " once the report is out: " + now);
                // and the uuid is usable: the pool's session mounts with it
                try (CephConnection c = Adapters.factory(ra).getConnection()) {
                    assertTrue(c.exists("/"));
                }
                Long mine = TestCluster.sessionIdsByUuid().get(uuid0);
                assertTrue(mine != null && !mine.equals(otherId), "the pool's own session has " + uuid0);
                System.out.printf("cephx reset truth: start %d ms; %s; slot 0: %s%n", startMillis, r.summary(),
                        slot0.detail());
            } finally {
                ra.stop();
            }
        }
    }
}
