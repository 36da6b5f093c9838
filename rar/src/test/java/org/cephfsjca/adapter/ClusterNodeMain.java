package org.cephfsjca.adapter;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.cephfsjca.adapter.cluster.TakeoverRecord;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.LockMode;

/**
 * A cluster member in a JVM of its own, for the takeover tests: starts an adapter for node {@code args[0]} with
 * {@code args[1]} slots in the cluster of uuid prefix {@code args[4]}, takes exclusive locks on {@code args[3]/file-0..args[2]-1} (fsynced data), prints
 * {@code READY}, then prints a {@code TAKEOVER <summary>} line for each dead peer it takes over. Stops cleanly when
 * its standard input closes.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        int slots = Integer.parseInt(args[1]);
        int locks = Integer.parseInt(args[2]);
        String dir = args[3];
        // the takeover's decisions, for a failing test to show
        java.util.logging.Logger cluster = java.util.logging.Logger.getLogger("org.cephfsjca.adapter.cluster");
        cluster.setLevel(java.util.logging.Level.FINE);
        java.util.logging.ConsoleHandler h = new java.util.logging.ConsoleHandler();
        h.setLevel(java.util.logging.Level.FINE);
        cluster.addHandler(h);
        String prefix = args[4];
        CephResourceAdapter ra = Adapters.started(node, slots, x -> {
            x.setUuidPrefix(prefix);
            x.setTakeoverAfterMillis(org.cephfsjca.adapter.config.AdapterConfig.RECOMMENDED_TAKEOVER_AFTER_MILLIS);
        });
        CephConnectionFactory cf = Adapters.factory(ra);
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < locks; i++) {
            CephConnection c = cf.getConnection();
            String path = dir + "/file-" + i;
            c.write(path, AdapterLockHolderMain.payload(node, i), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            held.add(c);
            held.add(c.tryLock(path, LockMode.EXCLUSIVE).orElseThrow());
        }
        System.out.println("READY " + node + " " + ra.getLastRecovery().summary() + " | " + ra.getLastRecovery().note()
                + " | taken over by " + ra.node().takenOverBy() + " | held " + held.size());
        System.out.flush();
        Thread reporter = new Thread(() -> {
            int printed = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<TakeoverRecord> done = ra.node().takeoversDone();
                for (; printed < done.size(); printed++) {
                    System.out.println("TAKEOVER " + done.get(printed).peer() + " " + done.get(printed).summary());
                    System.out.flush();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // the parent closes stdin to stop this member
        }
        ra.stop();
        System.exit(0);
    }
}
