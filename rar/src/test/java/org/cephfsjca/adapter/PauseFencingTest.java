package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A node paused (SIGSTOP) past the takeover bound while it writes: a survivor takes it over (its locks become free),
 * and when the node resumes (SIGCONT) it finds that it was fenced, refuses every write until it has rejoined, and then
 * writes again on fresh sessions. A sequence file shows that no write it attempted before the rejoin landed after the
 * takeover: each record carries the writer's epoch (its rejoins so far), and the file read right after the takeover
 * must be a prefix of the final one, followed only by records of a later epoch.
 */
class PauseFencingTest {

    private static final int LOCKS = 2;

    @Test
    void aPausedNodeIsFencedRefusesWritesAndRejoins() throws Exception {
        String prefix = "pf" + Adapters.freshNodeId("").substring(2);
        String victim = Adapters.freshNodeId("paused");
        String dir = "/jca-tests/pause-" + victim;
        String seqFile = dir + "/sequence";
        CephMount observer = TestCluster.mounted();
        List<ClusterMember> members = new ArrayList<>();
        ClusterMember v = null;
        try {
            observer.mkdirs(dir, 0755);
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s1"), 4, 0, dir));
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s2"), 4, 0, dir));
            v = ClusterMember.start(prefix, victim, 4, LOCKS, dir, seqFile);
            members.add(v);
            v.await("WROTE 20", 30_000);
            Thread.sleep(3_000); // the survivors list the lease root every 2 s: they know the victim alive

            v.pause(true);
            long paused = System.nanoTime();
            LockProbe.awaitAllFree(observer, dir, LOCKS, 60_000); // a survivor took it over
            long freeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
            String afterTakeover = read(observer, seqFile);
            int linesBefore = v.output().split("\n").length;
            Thread.sleep(1_000);

            v.pause(false);
            String rejoined = v.await("REJOINED", 60_000);
            String[] out = v.output().split("\n");
            int rejoinedAt = indexOf(out, rejoined);
            v.await("WROTE", 1); // (there were writes before the pause)
            // writes after the rejoin land again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (countAfter(v.output().split("\n"), rejoinedAt, "WROTE ") < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            out = v.output().split("\n");
            assertTrue(countAfter(out, rejoinedAt, "WROTE ") >= 5, "writes after the rejoin:\n" + v.output());

            // between the resume and the rejoin: no write succeeded, and the writer was told why
            int refused = 0;
            String firstRefusal = null;
            for (int i = linesBefore; i < rejoinedAt; i++) {
                if (out[i].startsWith("REFUSED ")) {
                    refused++;
                    firstRefusal = firstRefusal == null ? out[i] : firstRefusal;
                    assertTrue(out[i].contains("NodeFencedException") || out[i].contains("ESHUTDOWN")
                            || out[i].contains("fenced"), out[i]);
                }
                assertFalse(out[i].startsWith("WROTE ") && writtenAfter(out[i], afterTakeover),
                        "a write succeeded after the takeover, before the rejoin: " + out[i]);
            }
            assertTrue(refused > 0, "the writer tried while fenced:\n" + v.output());
            assertTrue(v.output().contains("was FENCED"), "one SEVERE line says so:\n" + v.output());
            assertTrue(rejoined.contains("taken over by "), rejoined);
            assertFalse(rejoined.contains("taken over by null"), rejoined);
            assertFalse(rejoined.contains("last fencing null"), rejoined);

            v.close();
            // the file: what was there right after the takeover, then only records of a later epoch
            String end = read(observer, seqFile);
            assertTrue(end.startsWith(afterTakeover), "the file changed under the takeover:\n" + afterTakeover
                    + "\n---\n" + end);
            for (String rec : end.substring(afterTakeover.length()).split("\n")) {
                if (!rec.isEmpty()) {
                    assertFalse(rec.endsWith("epoch=0"), "a write of the fenced incarnation landed after the takeover: "
                            + rec);
                }
            }
            System.out.printf("pause fencing: locks free %d ms after SIGSTOP; %d writes refused while fenced, the first: "
                    + "%s%n%s%n", freeMillis, refused, firstRefusal, rejoined);
        } catch (AssertionError | Exception e) {
            throw ClusterMember.failure(e, members);
        } finally {
            for (ClusterMember m : members) {
                m.close();
            }
            TestCluster.cleanUp(observer, dir);
            observer.close();
        }
    }

    /** A WROTE line for a sequence number the file did not have right after the takeover. */
    private static boolean writtenAfter(String wroteLine, String afterTakeover) {
        long seq = Long.parseLong(wroteLine.substring("WROTE ".length()).trim());
        return !afterTakeover.contains(String.format("seq=%08d ", seq));
    }

    private static int indexOf(String[] lines, String line) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(line)) {
                return i;
            }
        }
        throw new AssertionError("no line " + line);
    }

    private static int countAfter(String[] lines, int from, String prefix) {
        int n = 0;
        for (int i = from + 1; i < lines.length; i++) {
            if (lines[i].startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    private static String read(CephMount m, String path) throws Exception {
        try (CephFile f = m.open(path, OpenFlags.O_RDONLY, 0)) {
            long size = f.stat().size();
            byte[] b = new byte[(int) size];
            int n = 0;
            while (n < size) {
                int r = f.read(b, n, b.length - n, n);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        }
    }
}
