package org.cephfsjca.example;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.FileAttributes;

/** The folders of a document name ({@code a/b/c.txt}: {@code a}, {@code a/b}), below the store's root. */
final class Folders {

    private Folders() {
    }

    /**
     * Creates the folders {@code name} needs; 409 {@code not-a-directory} when one of them is a document
     * ({@code PUT doc1.txt/child}).
     */
    static void prepare(CephConnection c, String name) throws IOException {
        Optional<String> file = fileAncestor(c, name);
        if (file.isPresent()) {
            throw DocumentException.notADirectory(name, file.get());
        }
        try {
            c.mkdirs(StoreLayout.parent(StoreLayout.documentPath(name)));
        } catch (NotDirectoryException | FileAlreadyExistsException raced) {
            // a document took a folder's name meanwhile
            throw DocumentException.notADirectory(name, fileAncestor(c, name).orElse(name));
        }
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
