package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;
import org.cephfsjca.adapter.config.NodeIds;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.adapter.session.UuidSecret;
import org.cephfsjca.api.RecoveryMode;

/** Pure logic: configuration validation, defaults, uuid derivation. */
class AdapterConfigTest {

    private static AdapterConfig.Builder valid() {
        return new AdapterConfig.Builder().monHost("[v2:127.0.0.1:43300]");
    }

    @Test
    void defaults() {
        AdapterConfig c = valid().build("node1");
        assertEquals("admin", c.user());
        assertEquals("node1", c.nodeId());
        assertEquals("cephfs-jca", c.uuidPrefix());
        assertEquals(16, c.sessionSlots());
        assertEquals(300, c.sessionTimeoutSeconds());
        assertEquals(RecoveryMode.RESET, c.recoveryMode());
        assertEquals("/", c.mountRoot());
        assertEquals(30, c.mountTimeoutSeconds());
    }

    @Test
    void takeoverIsOnByDefaultAndSelfFencingStopsBeforeIt() {
        AdapterConfig c = valid().build("node1");
        assertEquals(1500, c.takeoverAfterMillis());
        assertEquals(250, c.leaseIntervalMillis());
        assertEquals(1250, c.selfFenceAfterMillis(), "one lease interval before peers may act");
        assertEquals(86_400, c.leaseRetentionSeconds());
        assertEquals(0, valid().takeoverAfterMillis(0).build("n").selfFenceAfterMillis(), "no takeover: no self-fencing");
        assertEquals(0, valid().leaseIntervalMillis(0).build("n").selfFenceAfterMillis(), "no lease: nothing to renew");
        assertEquals(0, valid().leaseRetentionSeconds(0).build("n").leaseRetentionSeconds());
        String m = assertThrows(InvalidConfigurationException.class, () -> valid().leaseRetentionSeconds(-1)
                .build("n")).getMessage();
        assertTrue(m.contains("leaseRetentionSeconds -1"), m);
        m = assertThrows(InvalidConfigurationException.class, () -> valid().leaseIntervalMillis(1000).build("n"))
                .getMessage();
        assertTrue(m.contains("takeoverAfterMillis 1500 must be 0 (no takeover) or at least 4 x leaseIntervalMillis "
                + "(4000)"), "the default bound against a longer interval names both: " + m);
    }

    @Test
    void everyProblemIsReportedWithItsValue() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () ->
                new AdapterConfig.Builder()
                        .configFile("/no/such/ceph.conf")
                        .user("client.admin/x")
                        .nodeId("bad node")
                        .sessionSlots(0)
                        .sessionTimeoutSeconds(1)
                        .recoveryMode("SOMETIMES")
                        .mountRoot("relative")
                        .cephOptions("novalue;key=secret")
                        .build("ignored"));
        String m = e.getMessage();
        assertTrue(m.contains("/no/such/ceph.conf"), m);
        assertTrue(m.contains("user 'client.admin/x'"), m);
        assertTrue(m.contains("nodeId 'bad node'"), m);
        assertTrue(m.contains("sessionSlots 0"), m);
        assertTrue(m.contains("sessionTimeoutSeconds 1"), m);
        assertTrue(m.contains("recoveryMode 'SOMETIMES'"), m);
        assertTrue(m.contains("mountRoot 'relative'"), m);
        assertTrue(m.contains("'novalue' must be name=value"), m);
        assertTrue(m.contains("may not set 'key'"), m);
        assertFalse(m.contains("secret"), "the value of a refused key option must not be echoed: " + m);
        assertEquals(9, e.problems().size(), e.problems().toString());
    }

    @Test
    void poolPropertiesHaveDefaultsAndAreBounded() {
        AdapterConfig c = valid().sessionSlots(2).build("n");
        assertEquals(16, c.maxPoolSize(), "connections share sessions: the pool is not bounded by the slots");
        assertEquals(30_000, c.poolBlockingTimeoutMillis());
        assertFalse(c.leakStackTraces(), "stacks cost a capture per checkout: off by default");
        assertEquals(64, valid().sessionSlots(8).maxPoolSize(64).build("n").maxPoolSize());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> valid().maxPoolSize(10_001).poolBlockingTimeoutMillis(-1).build("n"));
        assertTrue(e.getMessage().contains("maxPoolSize 10001 must be 1..10000"), e.getMessage());
        assertTrue(e.getMessage().contains("poolBlockingTimeoutMillis -1"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> valid().maxPoolSize(0).build("n"));
    }

    @Test
    void missingClusterAddressIsAProblem() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new AdapterConfig.Builder().build("n"));
        assertTrue(e.getMessage().contains("configFile or monHost"), e.getMessage());
    }

    @Test
    void keyIsNeverShown() {
        String key = "AQBsecretsecretsecretsecretsecret0000==";
        AdapterConfig c = valid().key(key).build("n");
        assertFalse(c.toString().contains(key), c.toString());
        assertTrue(c.toString().contains("<redacted>"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> valid().key("not a key but a secret sentence!").build("n"));
        assertFalse(e.getMessage().contains("secret sentence"), e.getMessage());
    }

    @Test
    void optionsParse() {
        AdapterConfig c = valid().cephOptions("client_oc_size = 1000; debug_client=0\nclient_cache_size=100").build("n");
        assertEquals(Map.of("client_oc_size", "1000", "debug_client", "0", "client_cache_size", "100"),
                c.cephOptions());
    }

    @Test
    void uuidsAreStableKeyedAndValid() {
        UuidSecret secret = UuidSecret.explicit("a-test-secret-of-some-length", "test");
        SessionUuids u = new SessionUuids("cephfs-jca", "node-1", secret);
        assertTrue(u.of(0).matches("cephfs-jca-node-1-[0-9a-f]{24}"), u.of(0));
        assertTrue(u.lease().matches("cephfs-jca-node-1-lease-[0-9a-f]{24}"), u.lease());
        assertEquals(u.of(3), new SessionUuids("cephfs-jca", "node-1", secret).of(3), "stable");
        assertEquals(u.of(3), new SessionUuids("cephfs-jca", "peer", secret).forNode("node-1").of(3), "a peer's");
        assertNotEquals(u.of(0), u.of(1));
        assertNotEquals(u.of(0), new SessionUuids("cephfs-jca", "node-1",
                UuidSecret.explicit("another-secret-of-some-length", "test")).of(0), "keyed");
        assertNotEquals(u.of(0), new SessionUuids("cephfs-jca", "node-2", secret).of(0));
        assertNotEquals(u.of(0), new SessionUuids("other", "node-1", secret).of(0));
        assertThrows(IllegalArgumentException.class, () -> u.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new SessionUuids("cephfs-jca", "bad node", secret));
        // longest prefix and node id: still within libcephfs' 128 characters
        SessionUuids longest = new SessionUuids("p".repeat(32), "n".repeat(64), secret);
        assertEquals(128, longest.lease().length());
        // nothing derives the secret: neither toString nor the source description show it
        assertFalse(u.toString().contains("a-test-secret"), u.toString());
        assertFalse(secret.toString().contains("a-test-secret"), secret.toString());
    }

    @Test
    void rotationExposesThePreviousUuids() {
        UuidSecret now = UuidSecret.explicit("the-new-secret-0123456789", "test");
        UuidSecret before = UuidSecret.explicit("the-old-secret-0123456789", "test");
        SessionUuids u = new SessionUuids("cephfs-jca", "n1", now, before);
        SessionUuids old = new SessionUuids("cephfs-jca", "n1", before);
        assertEquals(List.of(old.of(0), old.of(1), old.lease()), u.previousUuids(2));
        assertEquals(old.of(1), u.forNode("n1").previous().of(1), "peers compute the previous ones too");
        assertEquals(List.of(), new SessionUuids("cephfs-jca", "n1", now).previousUuids(2));
        assertEquals(List.of(), new SessionUuids("cephfs-jca", "n1", now, now).previousUuids(2), "same secret");
        @SuppressWarnings("deprecation")
        SessionUuids plain = new SessionUuids("cephfs-jca", "n1");
        assertEquals("cephfs-jca-n1-0", plain.of(0));
        assertEquals("cephfs-jca-n1-lease", plain.lease());
        AdapterConfig c = valid().nodeId("n1").uuidSecret("the-new-secret-0123456789").previousUuidSecret("plain")
                .build("n");
        SessionUuids fromConfig = new SessionUuids(c.uuidPrefix(), c.nodeId(), UuidSecret.current(c),
                UuidSecret.previous(c));
        assertEquals(List.of("cephfs-jca-n1-0", "cephfs-jca-n1-lease"), fromConfig.previousUuids(1));
        assertEquals(u.of(0), fromConfig.of(0));
    }

    @Test
    void defaultSecretIsDerivedFromTheCephxKey() throws Exception {
        String key = "AQBzAbBlAAAAABAAbm90LWEtcmVhbC1rZXk9PQ==";
        java.nio.file.Path keyring = java.nio.file.Files.createTempFile("keyring", "");
        try {
            java.nio.file.Files.writeString(keyring, "[client.other]\n\tkey = AQBzAbBlAAAAABAAb3RoZXIta2V5LXh4eA==\n"
                    + "[client.app]\n\tkey = " + key + "\n\tcaps mds = \"allow rw\"\n");
            AdapterConfig fromKeyring = valid().user("app").keyringFile(keyring.toString()).build("n");
            AdapterConfig inline = valid().user("app").key(key).build("n");
            UuidSecret a = UuidSecret.current(fromKeyring);
            UuidSecret b = UuidSecret.current(inline);
            assertTrue(a.sameAs(b), "same key, same secret, wherever it is read from");
            assertTrue(a.source().contains("client.app") && !a.source().contains(key), a.source());
            assertTrue(UuidSecret.fromCephxKey(key, "old").sameAs(a), "cephx-key:<old key> derives it the same way");
            assertFalse(a.sameAs(UuidSecret.explicit(key, "x")), "not the key itself");
            AdapterConfig noKey = valid().user("nobody").keyringFile(keyring.toString()).build("n");
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> UuidSecret.current(noKey));
            assertTrue(e.getMessage().contains("set uuidSecret"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(keyring);
        }
    }

    @Test
    void prefixAndNodeIdLeaveRoomForEveryUuid() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> valid().uuidPrefix("p".repeat(32)).nodeId("n".repeat(64)).build("n"));
        assertTrue(e.getMessage().contains("at most 90"), e.getMessage());
        AdapterConfig ok = valid().uuidPrefix("p".repeat(26)).nodeId("n".repeat(64)).build("n");
        SessionUuids u = new SessionUuids(ok.uuidPrefix(), ok.nodeId(), UuidSecret.explicit("x".repeat(20), "t"));
        assertEquals(128, (u.lease() + "-probe").length(), "the longest, the lease probe's, fits");
    }

    @Test
    void secretsAndTimeoutAreValidatedAndNeverShown() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> valid().uuidSecret("short-secret").previousUuidSecret("tiny").operationTimeoutSeconds(-1)
                        .build("n"));
        assertTrue(e.getMessage().contains("uuidSecret must be 16..4096"), e.getMessage());
        assertTrue(e.getMessage().contains("previousUuidSecret must be"), e.getMessage());
        assertTrue(e.getMessage().contains("operationTimeoutSeconds -1"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret") || e.getMessage().contains("tiny"), e.getMessage());
        AdapterConfig c = valid().uuidSecret("a-long-enough-secret-value").previousUuidSecret("old-long-enough-secret")
                .operationTimeoutSeconds(5).build("n");
        assertEquals(5, c.operationTimeoutSeconds());
        assertFalse(c.toString().contains("a-long-enough") || c.toString().contains("old-long"), c.toString());
        assertEquals(0, valid().build("n").operationTimeoutSeconds(), "off by default");
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setUuidSecret("a-long-enough-secret-value");
        assertEquals("<redacted>", ra.getUuidSecret());
    }

    @Test
    void defaultNodeIdIsSanitized() {
        assertEquals("host_name_with_spaces", NodeIds.sanitize("host name with spaces"));
        assertEquals(64, NodeIds.sanitize("x".repeat(100)).length());
        String d = NodeIds.defaultNodeId();
        assertTrue(d != null && d.matches("[A-Za-z0-9._-]+"), String.valueOf(d));
        System.setProperty("jboss.node.name", "wild fly:1");
        try {
            assertEquals("wild_fly_1", NodeIds.defaultNodeId());
        } finally {
            System.clearProperty("jboss.node.name");
        }
    }
}
