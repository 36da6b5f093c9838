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
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * Child JVM of the recovery benchmark, to be SIGKILLed: an adapter for node {@code args[0]} with {@code args[1]}
 * session slots takes that many connections (all slots, opened in parallel), and through each writes + fsyncs
 * {@code <dir>/file-i} and takes an exclusive lock on it. Prints {@code READY <ms>} and waits.
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
        ra.setSessionSlots(slots);
        if (args.length > 3) {
            ra.setLeaseIntervalMillis(Integer.valueOf(args[3]));
        }
        ra.start(null);
        CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        CephConnectionFactory cf = (CephConnectionFactory) mcf.createConnectionFactory();
        List<CephConnection> held = new ArrayList<>();
        List<CephLock> locks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(slots, 16));
        List<Future<CephLock>> futures = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int idx = i;
            futures.add(pool.submit(() -> {
                CephConnection c = cf.getConnection();
                synchronized (held) {
                    held.add(c);
                }
                String path = dir + "/file-" + idx;
                c.write(path, ("data of file " + idx + " written by " + node).getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                return c.tryLock(path, LockMode.EXCLUSIVE).orElseThrow();
            }));
        }
        for (Future<CephLock> f : futures) {
            locks.add(f.get());
        }
        System.out.println("READY " + (System.nanoTime() - t0) / 1_000_000 + " " + locks.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
