package org.cephfsjca.adapter;

import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.RecoveryReport;

/**
 * Child JVM for the crash tests: starts an adapter for node {@code args[0]} with {@code args[1]} slots, takes
 * {@code args[2]} connections (so several slots), and through each writes + fsyncs {@code <dir>/file-i} and holds an
 * exclusive lock on it; prints READY (with its start time and recovery counts) and waits to be SIGKILLed. Needs
 * CEPH_CONF in the environment.
 */
public final class AdapterLockHolderMain {

    private AdapterLockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        int slots = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String dir = args[3];
        long t0 = System.nanoTime();
        CephResourceAdapter ra = Adapters.started(node, slots, null);
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        CephConnectionFactory cf = Adapters.factory(ra);
        List<CephConnection> held = new ArrayList<>();
        List<CephLock> locks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CephConnection c = cf.getConnection();
            held.add(c);
            String path = dir + "/file-" + i;
            c.write(path, payload(node, i), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            locks.add(c.tryLock(path, LockMode.EXCLUSIVE).orElseThrow());
        }
        RecoveryReport r = ra.getLastRecovery();
        // key=value fields first, for the parent to parse; then the human-readable report
        System.out.println("READY startMillis=" + startMillis + " reset=" + r.sessionsReset() + " failed=" + r.failed()
                + " | " + r.summary() + " | " + r.note());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static byte[] payload(String node, int i) {
        return ("data of file " + i + " written by " + node + " before the crash").getBytes(StandardCharsets.UTF_8);
    }
}
