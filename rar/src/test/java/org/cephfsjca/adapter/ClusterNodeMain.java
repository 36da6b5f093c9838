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
 *
 * <p>With a sixth argument, a file path, it is also a writer (the fencing tests): every 20 ms it appends one fixed-size
 * record {@code seq=<n> epoch=<e>} to that file through a pooled connection, fsynced, and prints {@code WROTE <n>}
 * or {@code REFUSED <n> <exception>}; {@code epoch} counts its rejoins so far. It prints {@code STATE <serving>} each
 * time its SessionStatus state changes, and {@code REJOINED <report>} when it serves again after being fenced.
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
        if (args.length > 5) {
            Thread writer = new Thread(() -> write(ra, cf, args[5]), "writer");
            writer.setDaemon(true);
            writer.start();
            Thread prober = new Thread(() -> probe(cf), "prober");
            prober.setDaemon(true);
            prober.start();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // the parent closes stdin to stop this member
        }
        reporter.interrupt(); // before the stop: it asks the running node for its takeovers
        reporter.join(1000);
        ra.stop();
        System.exit(0);
    }

    /**
     * Asks for a connection every 50 ms and prints {@code CONNREFUSED <epoch millis> <message>} for each refusal (and
     * {@code CONNOK <epoch millis>} for the first success after one): shows when the node stops handing out
     * connections, even while the writer's call hangs.
     */
    private static void probe(CephConnectionFactory cf) {
        boolean refused = false;
        while (!Thread.currentThread().isInterrupted()) {
            try (CephConnection c = cf.getConnection()) {
                if (refused) {
                    System.out.println("CONNOK " + System.currentTimeMillis());
                    refused = false;
                }
            } catch (Exception e) {
                System.out.println("CONNREFUSED " + System.currentTimeMillis() + " " + e.getMessage());
                refused = true;
            }
            System.out.flush();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The writer of the fencing tests (see the class comment). The epoch of a record is taken after its connection
     * was handed out: a connection handed out after a rejoin writes with the new epoch; one handed out before the
     * fencing is on a fenced session, whose write fails.
     */
    private static void write(CephResourceAdapter ra, CephConnectionFactory cf, String file) {
        String state = "serving";
        org.cephfsjca.api.RecoveryReport seen = ra.getLastRecovery();
        int epoch = 0;
        for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
            String now = cf.getSessionStatus().serving();
            if (!now.equals(state)) {
                System.out.println("STATE " + now);
                state = now;
            }
            try (CephConnection c = cf.getConnection()) {
                org.cephfsjca.api.RecoveryReport r = ra.getLastRecovery();
                if (r != seen) { // a rejoin replaces the report
                    seen = r;
                    epoch++;
                    System.out.println("REJOINED " + r.summary() + " | " + r.note() + " | taken over by "
                            + ra.node().takenOverBy() + " | last fencing " + cf.getSessionStatus().lastFencing());
                }
                byte[] record = String.format("seq=%08d epoch=%d%n", seq, epoch).getBytes(StandardCharsets.US_ASCII);
                c.write(file, record, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                        StandardOpenOption.SYNC);
                System.out.println("WROTE " + seq);
            } catch (Exception e) {
                System.out.println("REFUSED " + seq + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.flush();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
