package org.cephfsjca.it;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.cephfsjca.libcephfs.CephMount;

/**
 * A folder of documents of one test class ({@code it-<label>-<random>}), and its clean-up: the folder, and the lock
 * files of the names used in it (the app never deletes lock files; tests do, for their own names). The clean-up runs
 * when {@link AdapterSetup} has undeployed the adapter: while the server's session holds the caps of files it wrote,
 * another client's unlink of each waits for an MDS tick (measured: 112 s for 34 documents; 0.1 s without the server).
 */
public final class DocDir {

    private final String dir;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    private DocDir(String dir) {
        this.dir = dir;
    }

    /** A new folder, cleaned up after the adapter of the test class is undeployed. */
    public static DocDir create(String label) {
        DocDir d = new DocDir("it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8));
        AdapterSetup.cleanUpAfterUndeploy(d);
        return d;
    }

    /** The document name of {@code leaf} in this folder ({@code it-x-1234/leaf}). */
    public String name(String leaf) {
        String n = dir + "/" + leaf;
        names.add(n);
        return n;
    }

    /** The API path of {@code leaf}: {@code /documents/it-x-1234/leaf}. */
    public String url(String leaf) {
        return "/documents/" + name(leaf);
    }

    public String dir() {
        return dir;
    }

    void cleanUp() throws Exception {
        long t0 = System.nanoTime();
        try (CephMount m = Ceph.mount()) {
            long t1 = System.nanoTime();
            Ceph.deleteTree(m, ItEnv.DOCUMENTS + "/" + dir);
            long t2 = System.nanoTime();
            for (String n : names) {
                Ceph.deleteTree(m, ItEnv.lockFileOf(n));
            }
            System.out.printf("[it] clean-up of %s: mount %d ms, folder %d ms, %d lock files %d ms%n", dir,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, names.size(), (System.nanoTime() - t2) / 1_000_000);
        }
    }
}
