package org.cephfsjca.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cephfsjca.adapter.CephManagedConnectionFactory;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * Child JVM of the recovery benchmark, to be SIGKILLed, leaving {@code args[1]} stale sessions of node
 * {@code args[0]}, each holding an exclusive lock on {@code <dir>/file-i} with fsynced data. Slot 0 is the adapter's
 * own session: all its connections share it, so one adapter leaves one session however many locks it holds. Slots
 * 1..n-1 are plain libcephfs clients mounted with those slots' uuids, standing for the sessions of other cephx
 * identities (each identity has a session of its own) — what a node with many identities leaves behind, and what the
 * start-time reset must clear in parallel. Prints {@code READY <ms>} and waits.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        int slots = Integer.parseInt(args[1]);
        String dir = args[2];
        long t0 = System.nanoTime();
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(Env.conf());
        ra.setFileSystemName(Env.fsName());
        ra.setNodeId(node);
        ra.setTakeoverAfterMillis(0); // measured alone: no takeover of other benchmark nodes in the background
        ra.setSessionSlots(slots);
        if (args.length > 3) {
            ra.setLeaseIntervalMillis(Integer.valueOf(args[3]));
        }
        ra.start(null);
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        CephConnectionFactory cf = (CephConnectionFactory) mcf.createConnectionFactory();
        List<Object> held = new ArrayList<>(); // keeps every connection, mount and lock reachable until the kill
        CephConnection c = cf.getConnection();
        String first = dir + "/file-0";
        c.write(first, payload(node, 0), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        held.add(c);
        held.add(c.tryLock(first, LockMode.EXCLUSIVE).orElseThrow());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(slots - 1, 16)));
        List<Future<Object[]>> futures = new ArrayList<>();
        for (int i = 1; i < slots; i++) {
            int idx = i;
            futures.add(pool.submit(() -> identitySession(node, idx, dir + "/file-" + idx)));
        }
        for (Future<Object[]> f : futures) {
            held.addAll(List.of(f.get()));
        }
        int locks = slots;
        System.out.println("READY " + (System.nanoTime() - t0) / 1_000_000 + " " + locks + " " + held.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A plain client with slot {@code slot}'s uuid (as the adapter mounts one): writes, fsyncs and locks the file. */
    private static Object[] identitySession(String node, int slot, String path) throws Exception {
        CephMount m = CephMount.create("admin");
        m.readConfigFile(Env.conf());
        m.init();
        m.setSessionTimeout(300); // the adapter's default, so that the NONE baseline waits as long as for the adapter
        m.selectFileSystem(Env.fsName());
        m.setUuid(new org.cephfsjca.adapter.session.SessionOpener(new org.cephfsjca.adapter.config.AdapterConfig
                .Builder().configFile(Env.conf()).nodeId(node).build(node)).uuids().of(slot)); // the adapter's scheme
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

    private static byte[] payload(String node, int i) {
        return ("data of file " + i + " written by " + node).getBytes(StandardCharsets.UTF_8);
    }
}
