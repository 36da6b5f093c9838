package org.cephfsjca.it;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.cephfsjca.libcephfs.CephMount;

/**
 * A folder of documents of one test class ({@code it-<label>-<random>}), and its clean-up: the folder, and the lock
 * files of the names used in it (the app never deletes lock files; tests do, for their own names).
 */
public final class DocDir {

    private final String dir;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    private DocDir(String dir) {
        this.dir = dir;
    }

    public static DocDir create(String label) {
        return new DocDir("it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8));
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

    public void cleanUp() throws Exception {
        try (CephMount m = Ceph.mount()) {
            Ceph.deleteTree(m, ItEnv.DOCUMENTS + "/" + dir);
            for (String n : names) {
                Ceph.deleteTree(m, ItEnv.lockFileOf(n));
            }
        }
    }
}
