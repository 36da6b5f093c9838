package org.cephfsjca.example;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.FileAttributes;

/**
 * The folders of a document name ({@code a/b/c.txt}: {@code a}, {@code a/b}), below the store's root. An upload
 * creates the ones it needs and, when it stores nothing (the client went away mid-body, a check-out won), removes
 * again exactly the ones it created: a failed request leaves no trace.
 */
final class Folders {

    private static final Logger LOG = Logger.getLogger(Folders.class.getName());

    private Folders() {
    }

    /** The folders one request created; {@link #undo} removes them again. */
    static final class Created {
        private final List<String> paths;

        private Created(List<String> paths) {
            this.paths = paths;
        }

        /** Adds the folders a second {@link #prepare} of the same request created. */
        Created and(Created more) {
            paths.addAll(more.paths);
            return this;
        }

        /**
         * Removes the folders this request created, deepest first, while they are empty. A folder another request
         * has put something in meanwhile stays, and so do the ones above it.
         */
        void undo(CephConnection c) {
            paths.sort(java.util.Comparator.comparingInt(String::length).reversed());
            for (String path : paths) {
                try {
                    c.delete(path);
                } catch (DirectoryNotEmptyException | NotDirectoryException inUse) {
                    return; // another upload uses it now: it and its parents stay
                } catch (NoSuchFileException gone) {
                    // another failed upload removed it
                } catch (org.cephfsjca.api.CephFileSystemException e) {
                    // with the session lost (the request answers 503) the folder stays
                    LOG.log(SessionLoss.is(e) ? Level.FINE : Level.WARNING, "could not remove folder " + path
                            + " of a failed upload: " + e);
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "could not remove folder " + path + " of a failed upload: " + e);
                    return;
                }
            }
        }
    }

    /**
     * Creates the folders {@code name} needs, and says which it created; 409 {@code not-a-directory} when one of them
     * is a document ({@code PUT doc1.txt/child}). Creates the store's root too when it is missing.
     */
    static Created prepare(CephConnection c, String name) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                return prepareOnce(c, name);
            } catch (NoSuchFileException vanished) {
                // the root is missing, or a failed upload removed a folder between our stat and our mkdir
                if (attempt == ATTEMPTS) {
                    throw vanished;
                }
                c.mkdirs(StoreLayout.root());
            }
        }
    }

    private static final int ATTEMPTS = 3;

    private static Created prepareOnce(CephConnection c, String name) throws IOException {
        String[] segments = name.split("/");
        Created created = new Created(new ArrayList<>());
        StringBuilder prefix = new StringBuilder();
        boolean missing = false; // below a missing folder, everything is missing: no more stat
        try {
            for (int i = 0; i < segments.length - 1; i++) {
                if (i > 0) {
                    prefix.append('/');
                }
                prefix.append(segments[i]);
                String path = StoreLayout.documentPath(prefix.toString());
                if (!missing) {
                    try {
                        if (!c.stat(path).isDirectory()) {
                            throw DocumentException.notADirectory(name, prefix.toString());
                        }
                        continue;
                    } catch (NoSuchFileException absent) {
                        missing = true;
                    }
                }
                try {
                    c.createDirectory(path);
                    created.paths.add(path);
                } catch (FileAlreadyExistsException raced) {
                    // another request created it meanwhile (so it is theirs), or a document took its name
                    if (!c.stat(path).isDirectory()) {
                        throw DocumentException.notADirectory(name, prefix.toString());
                    }
                }
            }
        } catch (DocumentException | NotDirectoryException | NoSuchFileException e) {
            created.undo(c);
            if (e instanceof NotDirectoryException) {
                // a document took a folder's name meanwhile
                throw DocumentException.notADirectory(name, fileAncestor(c, name).orElse(name));
            }
            throw e;
        }
        return created;
    }

    /** The first folder of {@code name} (as a document name) that exists and is not a folder, if any. */
    static Optional<String> fileAncestor(CephConnection c, String name) throws IOException {
        String[] segments = name.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(segments[i]);
            FileAttributes a;
            try {
                a = c.stat(StoreLayout.documentPath(prefix.toString()));
            } catch (NoSuchFileException missing) {
                return Optional.empty(); // the rest does not exist either
            }
            if (!a.isDirectory()) {
                return Optional.of(prefix.toString());
            }
        }
        return Optional.empty();
    }
}
