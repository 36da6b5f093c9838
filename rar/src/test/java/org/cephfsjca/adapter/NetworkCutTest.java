package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A node cut off from the cluster, on loopback only: its JVM runs under a user of its own, and an iptables rule
 * ({@code -o lo -m owner --uid-owner}) drops every packet it sends, so it reaches neither monitors, OSDs nor MDS while
 * everything else on the machine does. Its heartbeat stops reaching the OSDs, so it fences itself (its writes fail
 * with EAGAIN) before its peers take it over (its locks become free); when the cut heals it finds itself blocklisted,
 * refuses every write until it has rejoined, and writes again on fresh sessions. Its sequence file holds nothing it
 * wrote after the takeover. Needs root (iptables, a system user): the machine has both; scripts/install-deps.sh
 * installs iptables.
 */
class NetworkCutTest {

    /** A system user of this run's own: two runs at once (a loop and a suite) must not cut each other's JVMs. */
    private static final String USER = "cjcut" + Long.toHexString(System.nanoTime() & 0xffffffL);
    private static final int LOCKS = 1;

    @Test
    void aNodeCutOffFencesItselfIsTakenOverAndRejoinsWhenTheCutHeals() throws Exception {
        int uid = cutUser();
        Path home = Files.createTempDirectory("cephfs-jca-cut");
        String classPath = readableClassPath(home);
        String conf = permissiveConf(home);
        run("chown", "-R", USER, home.toString());

        String prefix = "nc" + Adapters.freshNodeId("").substring(2);
        String victim = Adapters.freshNodeId("cut");
        String dir = "/jca-tests/cut-" + victim;
        String seqFile = dir + "/sequence";
        CephMount observer = TestCluster.mounted();
        List<ClusterMember> members = new ArrayList<>();
        String rule = null;
        try {
            observer.mkdirs(dir, 0777);
            observer.chmod(dir, 0777);
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s1"), 2, 0, dir));
            members.add(ClusterMember.start(prefix, Adapters.freshNodeId("s2"), 2, 0, dir));
            List<String> asCutUser = List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "env",
                    "HOME=" + home);
            ClusterMember v = ClusterMember.start(asCutUser, classPath, conf, prefix, victim, 2, LOCKS, dir, seqFile);
            members.add(v);
            v.await("WROTE 20", 30_000);
            Thread.sleep(3_000);

            rule = "-o lo -m owner --uid-owner " + uid + " -j DROP";
            run(("iptables -I OUTPUT " + rule).split(" "));
            long cut = System.nanoTime();
            LockProbe.awaitAllFree(observer, dir, LOCKS, 60_000); // a survivor took it over
            long freeAt = System.currentTimeMillis();
            long freeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
            String afterTakeover = read(observer, seqFile);
            Thread.sleep(1_000);
            int beforeHeal = v.output().split("\n").length;
            run(("iptables -D OUTPUT " + rule).split(" "));
            rule = null;

            String rejoined = v.await("REJOINED", 120_000);
            String[] out = v.output().split("\n");
            int selfFenced = 0;
            long firstRefusal = Long.MAX_VALUE;
            for (int i = 0; i < beforeHeal; i++) {
                if (out[i].startsWith("CONNREFUSED ") && out[i].contains("could not renew its lease")) {
                    selfFenced++;
                    firstRefusal = Math.min(firstRefusal, Long.parseLong(out[i].split(" ")[1]));
                }
            }
            // self-fencing: cut off, it stops handing out connections, and before its peers act
            assertTrue(selfFenced > 0, "while cut off, no connection is handed out:\n" + v.output());
            assertTrue(firstRefusal < freeAt, "it stopped (" + firstRefusal + ") before its locks were free ("
                    + freeAt + ")");
            assertTrue(v.output().contains("was FENCED"), v.output());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int rejoinedAt = List.of(out).indexOf(rejoined);
            while (System.nanoTime() < deadline && v.output().split("\n").length - rejoinedAt < 10) {
                Thread.sleep(50);
            }
            v.close();
            String end = read(observer, seqFile);
            assertTrue(end.startsWith(afterTakeover), "the file changed under the takeover");
            for (String rec : end.substring(afterTakeover.length()).split("\n")) {
                assertFalse(rec.endsWith("epoch=0"), "a write of the cut-off incarnation landed after the takeover: "
                        + rec);
            }
            assertTrue(end.length() > afterTakeover.length(), "it writes again after the rejoin");
            System.out.printf("network cut: connections refused from %d ms before the locks were free (%d ms after the "
                    + "cut), %d refusals while cut off; %s%n", freeAt - firstRefusal, freeMillis, selfFenced,
                    rejoined.substring(0, Math.min(200, rejoined.length())));
        } catch (AssertionError | Exception e) {
            throw ClusterMember.failure(e, members);
        } finally {
            if (rule != null) {
                run(("iptables -D OUTPUT " + rule).split(" "));
            }
            for (ClusterMember m : members) {
                m.close();
            }
            TestCluster.deleteTree(observer, dir);
            observer.close();
            run("rm", "-rf", home.toString());
            run("userdel", USER);
        }
    }

    /** The uid of the test's own system user (created if missing); fails without root or iptables. */
    private static int cutUser() throws Exception {
        if (!"0".equals(output("id", "-u").trim())) {
            fail("NetworkCutTest needs root (to add an iptables rule and run a JVM as another user)");
        }
        if (!new File("/usr/sbin/iptables").canExecute()) {
            fail("NetworkCutTest needs iptables: scripts/install-deps.sh installs it");
        }
        if (new ProcessBuilder("id", "-u", USER).start().waitFor() != 0) {
            run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
        }
        return Integer.parseInt(output("id", "-u", USER).trim());
    }

    /** This JVM's class path copied where the other user can read it (the originals may be under /root). */
    private static String readableClassPath(Path home) throws Exception {
        Path cp = home.resolve("cp");
        Files.createDirectories(cp);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = cp.resolve((i++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> all = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(dst.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The cluster's ceph.conf with client-side permission checks off: the other user works in root's directories. */
    private static String permissiveConf(Path home) throws Exception {
        Path conf = home.resolve("ceph.conf");
        Files.writeString(conf, Files.readString(Path.of(TestCluster.conf())) + "\n[client]\nclient permissions = false\n"
                + "admin socket = \n");
        return conf.toString();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String read(CephMount m, String path) throws Exception {
        try (CephFile f = m.open(path, OpenFlags.O_RDONLY, 0)) {
            byte[] b = new byte[(int) f.stat().size()];
            int n = 0;
            while (n < b.length) {
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
