package org.cephfsjca.example;

/**
 * Where things live in CephFS, below the adapter's mount root: the documents under {@link #root()} (system property
 * {@code cephfs.example.root}, default {@code /documents}), each document's lock file under {@code <root>/.locks/}
 * (see {@link LockFiles}), upload temporaries next to their document as {@code .upload-<uuid>}. Names starting with
 * '.' are never documents, so none of these ever shows in a listing. These paths are the server's business: no
 * message a client sees contains one.
 */
final class StoreLayout {

    static final String LOCK_DIR = ".locks";
    static final String TEMP_PREFIX = ".upload-";

    private StoreLayout() {
    }

    static String root() {
        String r = System.getProperty("cephfs.example.root", "/documents");
        while (r.length() > 1 && r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.startsWith("/") ? r : "/" + r;
    }

    /** The document's file; {@code name} must be valid and normalized ({@link DocumentNames#validate}). */
    static String documentPath(String name) {
        return root() + "/" + name;
    }

    /** The folder of the lock files: {@code <root>/.locks}. */
    static String lockDir() {
        return root() + "/" + LOCK_DIR;
    }

    static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    /** Entries the listing leaves out: temporaries, the lock files' folder, anything starting with '.'. */
    static boolean isHidden(String entryName) {
        return entryName.startsWith(".");
    }
}
