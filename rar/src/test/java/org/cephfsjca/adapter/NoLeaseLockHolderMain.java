package org.cephfsjca.adapter;

import java.nio.file.StandardOpenOption;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * Child JVM for {@link MdsRestartResetTest}: as {@link AdapterLockHolderMain} with one connection, but with the owner
 * check (the node lease) off, so that the only session with a uuid it leaves is slot 0's. Prints READY and waits to be
 * SIGKILLed. Args: node id, slots, dir[, sessionTimeoutSeconds].
 */
public final class NoLeaseLockHolderMain {

    private NoLeaseLockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        CephResourceAdapter ra = Adapters.started(node, Integer.parseInt(args[1]), r -> {
            r.setLeaseIntervalMillis(0);
            if (args.length > 3) {
                r.setSessionTimeoutSeconds(Integer.parseInt(args[3]));
            }
        });
        CephConnection c = Adapters.factory(ra).getConnection();
        String path = args[2] + "/file-0";
        c.write(path, AdapterLockHolderMain.payload(node, 0), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        CephLock lock = c.tryLock(path, LockMode.EXCLUSIVE).orElseThrow();
        System.out.println("READY " + lock);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
