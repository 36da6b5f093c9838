package org.cephfsjca.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.cephfsjca.adapter.CephManagedConnectionFactory;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.NativeHandles;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * A member of the takeover benchmark's cluster, in a JVM of its own: an adapter with uuid prefix {@code args[1]},
 * node id {@code args[2]} and {@code sessionSlots = args[3]}, takeover after {@code args[5]} ms (0 = off) and the
 * lease interval {@code args[6]} (optional; the adapter's default otherwise).
 *
 * <ul>
 * <li>{@code victim}: holds an exclusive lock on {@code <dir>/file-i} (fsynced data) in every slot i, as
 * {@link LockHolderMain} does: slot 0 through the adapter's own session, slots 1..n-1 through plain libcephfs
 * clients mounted with those slots' uuids (the adapter's {@code SessionUuids} scheme, so that a peer computes the
 * same uuids), standing for the sessions of other cephx identities. Prints {@code READY <ms>} and waits for its
 * SIGKILL.</li>
 * <li>{@code survivor}: holds nothing; prints {@code READY <ms>}, then {@code TAKEOVER <epoch-ms> <summary>} for each
 * dead peer it takes over (the adapter's own log line, caught through java.util.logging).</li>
 * </ul>
 * Stops its adapter cleanly when its standard input closes.
 */
public final class TakeoverNodeMain {

    private TakeoverNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String prefix = args[1];
        String node = args[2];
        int slots = Integer.parseInt(args[3]);
        String dir = args[4];
        int takeoverAfter = Integer.parseInt(args[5]);
        Integer leaseInterval = args.length > 6 ? Integer.valueOf(args[6]) : null;
        catchTakeovers();
        long t0 = System.nanoTime();
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(Env.conf());
        ra.setFileSystemName(Env.fsName());
        ra.setNodeId(node);
        ra.setUuidPrefix(prefix);
        ra.setSessionSlots(slots);
        if (leaseInterval != null) {
            ra.setLeaseIntervalMillis(leaseInterval);
        }
        ra.setTakeoverAfterMillis(takeoverAfter); // 0 as well: takeover is on by default
        ra.start(null);
        List<Object> held = new ArrayList<>(); // every connection, mount and lock stays reachable until the kill
        if (role.equals("victim")) {
            holdEverySlot(ra, prefix, node, slots, dir, held);
        } else if (!role.equals("survivor")) {
            throw new IllegalArgumentException("role must be victim or survivor: " + role);
        }
        System.out.println("READY " + (System.nanoTime() - t0) / 1_000_000 + " " + held.size());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // the harness closes stdin to stop this member (a victim is SIGKILLed instead)
        }
        ra.stop();
        afterStop(node);
        System.exit(0);
    }

    /**
     * A clean stop should leave no native mount: one still counted means a session whose unmount was deferred (a call
     * still in flight on it), which exiting now leaves in the MDS. The adapter's threads then go to the log.
     */
    private static void afterStop(String node) {
        long mounts = NativeHandles.mounts();
        if (mounts == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder("AFTER STOP of node " + node + ": " + NativeHandles.summary()
                + " still open; the adapter's threads:\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("cephfs-jca")) {
                sb.append("  ").append(t.getName()).append(" (").append(t.getState()).append(")\n");
                for (StackTraceElement e : stack) {
                    sb.append("      at ").append(e).append('\n');
                }
            }
        });
        System.err.print(sb);
        System.err.flush();
    }

    private static void holdEverySlot(CephResourceAdapter ra, String prefix, String node, int slots, String dir,
                                      List<Object> held) throws Exception {
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        CephConnectionFactory cf = (CephConnectionFactory) mcf.createConnectionFactory();
        CephConnection c = cf.getConnection();
        String first = dir + "/file-0";
        c.write(first, payload(node, 0), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        held.add(c);
        held.add(c.tryLock(first, LockMode.EXCLUSIVE).orElseThrow());
        // the uuids exactly as the adapter (and a peer taking this node over) computes them
        SessionOpener uuids = new SessionOpener(new AdapterConfig.Builder().configFile(Env.conf()).uuidPrefix(prefix)
                .nodeId(node).build(node));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(slots - 1, 16)));
        try {
            List<Future<Object[]>> futures = new ArrayList<>();
            for (int i = 1; i < slots; i++) {
                String uuid = uuids.uuids().of(i);
                String path = dir + "/file-" + i;
                int slot = i;
                futures.add(pool.submit(() -> identitySession(uuid, node, slot, path)));
            }
            for (Future<Object[]> f : futures) {
                held.addAll(List.of(f.get()));
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A plain client with a slot's uuid (as the adapter mounts one): writes, fsyncs and locks the file. */
    private static Object[] identitySession(String uuid, String node, int slot, String path) throws Exception {
        CephMount m = CephMount.create("admin");
        m.readConfigFile(Env.conf());
        m.init();
        m.setSessionTimeout(AdapterConfig.DEFAULT_SESSION_TIMEOUT); // as the adapter's: the baseline waits as long
        m.selectFileSystem(Env.fsName());
        m.setUuid(uuid);
        m.mount("/");
        CephFile f = m.open(path, OpenFlags.O_CREAT | OpenFlags.O_TRUNC | OpenFlags.O_RDWR, 0644);
        byte[] data = payload(node, slot);
        f.write(data, 0, data.length, 0);
        f.fsync(false);
        if (!f.lock(LockMode.EXCLUSIVE, false, 0x5000_0000L + slot)) {
            throw new IllegalStateException(path + " is locked already");
        }
        return new Object[] {m, f};
    }

    static byte[] payload(String node, int i) {
        return ("data of file " + i + " written by " + node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The adapter logs each takeover it did ({@code Takeover}: "cephfs-jca: node X took over dead node Y ..."); this
     * prints it on stdout for the harness, with the time it was logged.
     */
    private static void catchTakeovers() {
        Logger cluster = Logger.getLogger("org.cephfsjca.adapter.cluster");
        cluster.setLevel(Level.INFO);
        cluster.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String msg = r.getMessage();
                if (msg != null && msg.contains(" took over dead node ")) {
                    synchronized (System.out) {
                        System.out.println("TAKEOVER " + r.getInstant().toEpochMilli() + " "
                                + msg.replaceFirst("^cephfs-jca: ", ""));
                        System.out.flush();
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
