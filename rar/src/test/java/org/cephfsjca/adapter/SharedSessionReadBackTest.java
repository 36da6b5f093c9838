package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * The regression test for AdapterLoadTest's "read back other bytes" (issue 10). Cause, in libcephfs 16.2.15: when two
 * Ceph clients take turns overwriting one file with O_TRUNC, a client that wrote and then reads back at once sometimes
 * gets the OTHER client's previous content (about 1 in 75-300 turns; plain C with two ceph_mounts shows it too, one
 * mount never: docs/research/truncate-handoff.md). The load test's workers overwrite their own files, and before
 * pooled connections shared one session, consecutive check-outs of one worker landed on different sessions: two
 * clients. Now every connection of an identity uses the node's one session, so two connections taking turns are one
 * client to Ceph and always read back what they wrote.
 *
 * <p>Two connections held at once (so the pool cannot hand out the same one twice) alternate 600 overwrites with
 * read-back. On separate sessions, as before, at least one read-back in 600 goes wrong with probability above 99.9 %.
 */
class SharedSessionReadBackTest {

    private static final int TURNS = 600;

    @Test
    void twoConnectionsTakingTurnsOverwritingOneFileAlwaysReadBackTheirOwnWrite() throws Exception {
        String node = Adapters.freshNodeId("readback");
        CephResourceAdapter ra = Adapters.started(node, 4, null);
        String dir = "/jca-tests/readback-" + node;
        try {
            CephConnectionFactory cf = Adapters.factory(ra);
            try (CephConnection a = cf.getConnection(); CephConnection b = cf.getConnection()) {
                a.mkdirs(dir);
                String file = dir + "/turns";
                assertEquals(1, AdapterLoadTest.nodeSessions(node).size(),
                        "two pooled connections of one identity are one MDS session");
                Random rnd = new Random(10);
                List<String> wrong = new ArrayList<>();
                for (int turn = 0; turn < TURNS; turn++) {
                    CephConnection c = turn % 2 == 0 ? a : b;
                    byte[] data = new byte[4096];
                    rnd.nextBytes(data);
                    c.write(file, data); // CREATE, TRUNCATE_EXISTING, WRITE: an O_TRUNC open
                    byte[] back = c.readAllBytes(file);
                    if (!Arrays.equals(data, back)) {
                        wrong.add("turn " + turn + ": read " + back.length + " bytes, first difference at "
                                + Arrays.mismatch(data, back));
                    }
                }
                assertEquals(List.of(), wrong, "read-backs that were not the connection's own write");
                a.deleteRecursively(dir);
            }
        } finally {
            ra.stop();
        }
    }
}
