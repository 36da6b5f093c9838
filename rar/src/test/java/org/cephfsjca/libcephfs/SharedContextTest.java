package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Clients on one CephContext ({@link CephMount#sharingContextOf}), as the start-time recovery makes its reset clients:
 * initialized at the same time, they reset real sessions, outlive the client whose context they share, and cannot
 * change the shared configuration. A misuse is refused in Java, before libcephfs could abort the JVM.
 */
class SharedContextTest {

    private static final int CLIENTS = 16;

    @Test
    void clientsOnOneContextInitializeAtOnceAndResetRealSessions() throws Exception {
        List<String> uuids = new ArrayList<>();
        List<CephMount> victims = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                String uuid = TestCluster.freshUuid("shared-" + i);
                uuids.add(uuid);
                victims.add(TestCluster.mounted(uuid));
            }
            assertTrue(TestCluster.sessionUuids().containsAll(uuids));

            CephMount source = TestCluster.initialized();
            List<Future<CephMount>> made = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) { // every init at once, on the one context
                made.add(pool.submit(() -> {
                    CephMount m = CephMount.sharingContextOf(source);
                    m.init();
                    return m;
                }));
            }
            List<CephMount> sharers = new ArrayList<>();
            for (Future<CephMount> f : made) {
                sharers.add(f.get(60, TimeUnit.SECONDS));
            }
            source.close(); // the sharers keep the context alive

            List<Future<Boolean>> resets = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                CephMount m = sharers.get(i);
                String uuid = uuids.get(i);
                resets.add(pool.submit(() -> {
                    assertFalse(m.warmUpReset(), "a random uuid has no session");
                    return m.resetSession(uuid);
                }));
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertTrue(resets.get(i).get(60, TimeUnit.SECONDS), "the session of " + uuids.get(i) + " was found");
            }
            List<String> left = TestCluster.sessionUuids();
            for (String uuid : uuids) {
                assertFalse(left.contains(uuid), uuid + " still has a session after its reset");
            }
            List<Future<?>> closes = new ArrayList<>();
            for (CephMount m : sharers) {
                closes.add(pool.submit((Callable<Void>) () -> {
                    m.close();
                    return null;
                }));
            }
            for (Future<?> f : closes) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            for (CephMount v : victims) {
                v.close(); // evicted: its unmount fails quietly
            }
        }
    }

    @Test
    void aClientOnAnotherClientsContextCannotChangeItsConfiguration() throws Exception {
        try (CephMount source = TestCluster.initialized(); CephMount m = CephMount.sharingContextOf(source)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.setOption("client_mount_timeout", "1"));
            assertTrue(e.getMessage().contains("shares another client's CephContext"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.readConfigFile(TestCluster.conf()));
            assertThrows(IllegalStateException.class, () -> m.selectFileSystem(TestCluster.fsName()));
            assertEquals(source.getOption("client_mount_timeout"), m.getOption("client_mount_timeout"),
                    "it reads the shared configuration");
            m.init();
            assertFalse(m.resetSession(TestCluster.freshUuid("nobody")));
        }
    }

    @Test
    void onlyAnInitializedOpenClientLendsItsContext() throws Exception {
        // A context's first ceph_init starts its log thread; two first inits at once abort the process.
        try (CephMount created = CephMount.create(null)) {
            created.readConfigFile(TestCluster.conf());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CephMount.sharingContextOf(created));
            assertTrue(e.getMessage().contains("ceph_create_with_context needs the mount initialized"), e.getMessage());
        }
        CephMount closed = TestCluster.initialized();
        closed.close();
        assertThrows(IllegalStateException.class, () -> CephMount.sharingContextOf(closed));
    }
}
