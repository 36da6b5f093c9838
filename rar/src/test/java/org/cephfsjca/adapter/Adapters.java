package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/** Test support: adapters configured for the local cluster, each with a node id of its own. */
public final class Adapters {

    private Adapters() {
    }

    /** A unique node id, so tests never share session uuids. */
    public static String freshNodeId(String label) {
        return "t" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A configured, not started adapter for the local cluster. */
    public static CephResourceAdapter configured(String nodeId, int slots) {
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(TestCluster.conf());
        ra.setFileSystemName(TestCluster.fsName());
        ra.setNodeId(nodeId);
        ra.setSessionSlots(slots);
        ra.setMountTimeoutSeconds(20);
        // takeover is on by default; tests of other things keep it off, so that adapters of the default uuid prefix
        // do not take over each other's crashed children (the takeover and fencing tests use prefixes of their own)
        ra.setTakeoverAfterMillis(0);
        return ra;
    }

    /** A started adapter. */
    public static CephResourceAdapter started(String nodeId, int slots, Consumer<CephResourceAdapter> tweak)
            throws Exception {
        CephResourceAdapter ra = configured(nodeId, slots);
        if (tweak != null) {
            tweak.accept(ra);
        }
        ra.start(null);
        return ra;
    }

    /** The non-managed connection factory of a started adapter (plain Java SE, its own small pool). */
    public static CephConnectionFactory factory(CephResourceAdapter ra) throws Exception {
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        return (CephConnectionFactory) mcf.createConnectionFactory();
    }

    /**
     * The session uuids of {@code nodeId} as a test adapter ({@link #configured}: client.admin, default prefix, no
     * uuidSecret) computes them: through the real scheme, with the secret derived from client.admin's key.
     */
    public static SessionUuids uuids(String nodeId) {
        return new SessionOpener(new AdapterConfig.Builder().configFile(TestCluster.conf()).nodeId(nodeId)
                .build(nodeId)).uuids();
    }

    /** The session uuid of a slot of {@code nodeId} with the default prefix (see {@link #uuids}). */
    public static String uuid(String nodeId, int slot) {
        return uuids(nodeId).of(slot);
    }

    /** The lease session uuid of {@code nodeId} with the default prefix (see {@link #uuids}). */
    public static String leaseUuid(String nodeId) {
        return uuids(nodeId).lease();
    }

    /** True for a pooled (slot) session uuid of {@code nodeId} with the default prefix, not its lease session. */
    public static boolean isSlotUuid(String uuid, String nodeId) {
        return uuid.startsWith("cephfs-jca-" + nodeId + "-") && !uuid.startsWith("cephfs-jca-" + nodeId + "-lease-");
    }

    /**
     * A real crash: runs {@link AdapterLockHolderMain} for {@code node} in a child JVM until it holds exclusive locks
     * on {@code dir/file-0..held-1} through {@code held} connections (READY), which share the node's one session
     * (slot 0), checks that session is in the MDS, and SIGKILLs it. Returns the child's READY line (it carries the child's own start-time recovery summary).
     */
    public static String crashLockHolder(String node, int slots, int held, String dir) throws Exception {
        Process child = startLockHolder(node, slots, held, dir);
        try {
            return awaitLockHolder(child, node);
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@link AdapterLockHolderMain} for {@code node} in a child JVM (see {@link #crashLockHolder}). */
    public static Process startLockHolder(String node, int slots, int held, String dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AdapterLockHolderMain.class.getName(), node, Integer.toString(slots), Integer.toString(held), dir)
                .redirectErrorStream(true).start();
    }

    /** Waits until a {@link #startLockHolder} child holds its locks in one session; returns its READY line. */
    public static String awaitLockHolder(Process child, String node) throws Exception {
        {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                        if (l.startsWith("READY")) {
                            return;
                        }
                    }
                } catch (Exception ignored) {
                    // child died
                }
            });
            reader.setDaemon(true);
            reader.start();
            reader.join(90_000);
            String last;
            synchronized (lines) {
                last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                if (!last.startsWith("READY")) {
                    fail("adapter child did not get ready:\n" + String.join("\n", lines));
                }
            }
            List<String> sessions = TestCluster.sessionUuids();
            assertTrue(sessions.contains(uuid(node, 0)), "the child's shared session, slot 0: " + sessions);
            assertTrue(!sessions.contains(uuid(node, 1)), "one session for all of the child's connections");
            return last;
        }
    }

    /**
     * After a crash of {@link #crashLockHolder} and a recovering start: an unrelated client gets the exclusive lock on
     * each of {@code dir/file-0..count-1} at once (non-blocking) and reads the data the crashed child fsynced.
     */
    public static void assertLocksFreeAndDataIntact(CephMount observer, String node, String dir, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            try (CephFile f = observer.open(dir + "/file-" + i, O_RDWR, 0)) {
                assertTrue(f.lock(LockMode.EXCLUSIVE, false, 1000 + i), "lock " + i + " must be free after start");
                ByteBuffer b = ByteBuffer.allocate(4096);
                int n = f.read(b, 0);
                assertArrayEquals(AdapterLockHolderMain.payload(node, i), Arrays.copyOf(b.array(), n),
                        "fsynced data of file " + i);
                f.unlock(1000 + i);
            }
        }
    }
}
