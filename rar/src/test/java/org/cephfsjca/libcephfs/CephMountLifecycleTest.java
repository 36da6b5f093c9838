package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/** create / configure / init / mount / unmount / release, and every call refused in the wrong state. */
class CephMountLifecycleTest {

    @Test
    void versionIsTheInstalledLibrary() {
        assertTrue(CephMount.version().startsWith("16.2."), CephMount.version());
    }

    @Test
    void fullLifecycle() throws Exception {
        CephMount m = CephMount.create("admin");
        try {
            m.readConfigFile(TestCluster.conf());
            m.setOption("client_mount_timeout", "15");
            assertEquals("15", m.getOption("client_mount_timeout"));
            m.init();
            m.selectFileSystem(TestCluster.fsName());
            assertFalse(m.isMounted());
            m.mount("/");
            assertTrue(m.isMounted());
            assertTrue(m.fileSystemId() >= 0);
            assertTrue(m.stat("/").isDirectory());
            m.unmount();
            assertFalse(m.isMounted());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.stat("/"));
            assertTrue(e.getMessage().contains("not mounted"), e.getMessage());
        } finally {
            m.close();
        }
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.stat("/"));
        m.close(); // double close is a no-op
    }

    @Test
    void wrongStateCallsNeverReachNative() throws Exception {
        try (CephMount created = CephMount.create("admin")) {
            // before init libcephfs has no Client: these would dereference NULL in C
            assertThrows(IllegalStateException.class, () -> created.setUuid("x"));
            assertThrows(IllegalStateException.class, () -> created.setSessionTimeout(60));
            assertThrows(IllegalStateException.class, () -> created.startReclaim("x", CephMount.RECLAIM_RESET));
            assertThrows(IllegalStateException.class, created::finishReclaim);
            assertThrows(IllegalStateException.class, () -> created.stat("/"));
            assertThrows(IllegalStateException.class, created::unmount);
        }
        try (CephMount m = TestCluster.mounted()) {
            assertThrows(IllegalStateException.class, () -> m.setUuid("late"));
            assertThrows(IllegalStateException.class, () -> m.setSessionTimeout(60));
            assertThrows(IllegalStateException.class, () -> m.readConfigFile(TestCluster.conf()));
            assertThrows(IllegalStateException.class, () -> m.setOption("client_mount_timeout", "5"));
            assertThrows(IllegalStateException.class, m::init);
            assertThrows(IllegalStateException.class, () -> m.mount("/"));
        }
    }

    @Test
    void mountOfMissingRootNamesThePath() throws Exception {
        try (CephMount m = TestCluster.initialized()) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> m.mount("/no/such/root"));
            assertTrue(e.getMessage().contains("/no/such/root") && e.getMessage().contains("ceph_mount: ENOENT"),
                    e.getMessage());
        }
    }

    @Test
    void unknownFileSystemIsReported() throws Exception {
        try (CephMount m = TestCluster.initialized()) {
            m.selectFileSystem("no-such-fs");
            Exception e = assertThrows(Exception.class, () -> m.mount("/"));
            assertTrue(e.getMessage().contains("ceph_mount"), e.getMessage());
        }
    }

    @Test
    void unknownConfigFileIsReported() throws Exception {
        try (CephMount m = CephMount.create("admin")) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> m.readConfigFile("/nonexistent/ceph.conf"));
            assertTrue(e.getMessage().contains("/nonexistent/ceph.conf"), e.getMessage());
        }
    }

    @Test
    void unknownOptionIsEnoentWithItsName() throws Exception {
        try (CephMount m = CephMount.create("admin")) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> m.setOption("no_such_option", "1"));
            assertTrue(e.getMessage().contains("no_such_option"), e.getMessage());
        }
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() throws Exception {
        String secret = "AQBsecretsecretsecretsecretsecret0000==";
        try (CephMount m = CephMount.create("admin")) {
            m.setOption("key", secret);
            Exception e = assertThrows(Exception.class, () -> m.setOption("key", "bad\0" + secret));
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.getOption("key"));
            assertFalse(m.toString().contains(secret));
        }
    }

    @Test
    void wrongKeyFailsInitWithAccessDenied() throws Exception {
        try (CephMount m = CephMount.create("admin")) {
            m.readConfigFile(TestCluster.conf());
            m.setOption("key", "AQCYd3hlAAAAABAAsTAaDl9TTLzJh3yJZlrnbg==");
            m.setOption("client_mount_timeout", "10");
            Exception e = assertThrows(Exception.class, m::init);
            assertTrue(e instanceof AccessDeniedException || e instanceof CephFileSystemException, e.toString());
            assertFalse(e.getMessage().contains("AQCYd3hl"), e.getMessage());
        }
    }

    @Test
    void invalidCephxIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CephMount.create(""));
        assertThrows(IllegalArgumentException.class, () -> CephMount.create("client.admin/../x"));
        assertThrows(IllegalArgumentException.class, () -> CephMount.create("a\0b"));
        assertEquals(Errno.ENOENT, Errno.of(-2));
    }
}
