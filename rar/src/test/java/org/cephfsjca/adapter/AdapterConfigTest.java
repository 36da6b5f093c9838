package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;
import org.cephfsjca.adapter.config.NodeIds;
import org.cephfsjca.adapter.session.SessionUuids;
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
    void uuidsAreStableAndValid() {
        SessionUuids u = new SessionUuids("cephfs-jca", "node-1");
        assertEquals("cephfs-jca-node-1-0", u.of(0));
        assertEquals("cephfs-jca-node-1-15", u.of(15));
        assertEquals(u.of(3), new SessionUuids("cephfs-jca", "node-1").of(3));
        assertThrows(IllegalArgumentException.class, () -> u.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new SessionUuids("cephfs-jca", "bad node"));
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
