package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.LockMode;

/**
 * The hand-off between connections of one server: connection A writes files and keeps them open (a stream, or a
 * stream and an exclusive lock, as a check-out does), then connection B stats, reads and lists them. Two libcephfs
 * clients would wait for an MDS tick (~5 s) per file here; the connections share their identity's session, so the
 * MDS has no caps to move. Asserts the contents and that there is one session; timing is the benchmark's
 * ({@code scripts/bench.sh --parts handoff}).
 */
class HandOffTest {

    private static final int FILES = 20;

    @Test
    void connectionsOfOneServerReadWhatAnotherHoldsOpen() throws Exception {
        String node = Adapters.freshNodeId("handoff");
        CephResourceAdapter ra = Adapters.started(node, 4, null);
        String dir = "/jca-tests/handoff-" + node;
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            Random rnd = new Random(42);
            List<byte[]> contents = new ArrayList<>();
            try (CephConnection a = cf.getConnection(); CephConnection b = cf.getConnection()) {
                a.mkdirs(dir);
                List<AutoCloseable> held = new ArrayList<>();
                for (int i = 0; i < FILES; i++) {
                    byte[] data = new byte[4096 + i];
                    rnd.nextBytes(data);
                    contents.add(data);
                    a.write(dir + "/doc-" + i, data);
                    InputStream open = a.newInputStream(dir + "/doc-" + i);
                    held.add(open);
                    if (i % 2 == 0) {
                        held.add(a.lock(dir + "/doc-" + i, LockMode.EXCLUSIVE, Duration.ofSeconds(10)));
                    }
                }
                assertSame(((MountedConnection) a).mount(), ((MountedConnection) b).mount(),
                        "connections of one identity share one CephFS session");
                for (int i = 0; i < FILES; i++) {
                    assertEquals(4096 + i, b.stat(dir + "/doc-" + i).size());
                    assertArrayEquals(contents.get(i), b.readAllBytes(dir + "/doc-" + i), "doc-" + i);
                }
                List<DirEntry> listing = b.list(dir);
                assertEquals(FILES, listing.size(), listing.toString());
                for (int i = 0; i < FILES; i += 2) {
                    assertTrue(b.tryLock(dir + "/doc-" + i, LockMode.SHARED).isEmpty(),
                            "A's lock on doc-" + i + " still excludes B");
                }
                for (AutoCloseable c : held) {
                    c.close();
                }
                try (CephLock free = b.tryLock(dir + "/doc-0", LockMode.EXCLUSIVE).orElseThrow()) {
                    assertTrue(free.isValid());
                }
                assertEquals(1, AdapterLoadTest.nodeSessions(node).size(), "one MDS session for the node");
                b.deleteRecursively(dir);
            }
        } finally {
            ra.stop();
        }
    }
}
