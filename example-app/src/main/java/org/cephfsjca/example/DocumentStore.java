package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileType;

/**
 * The documents, as files under {@link StoreLayout#root()} in CephFS. Every method takes a pooled connection and
 * returns it before it ends. An upload streams into a temporary file (fsynced on close) and renames it over the
 * document, so a document is always one whole upload: concurrent uploads of one name all succeed and the last rename
 * wins. A document that is checked out (its lock file locked, by anyone, on any server) is neither replaced nor
 * deleted. Names reaching this class are valid and NFC ({@link DocumentNames#validate}).
 */
@ApplicationScoped
public class DocumentStore {

    private static final Logger LOG = Logger.getLogger(DocumentStore.class.getName());
    /** Copy buffer of uploads and downloads: the heap never holds more than this per request. */
    static final int BUFFER = 256 * 1024;

    @Inject
    private CephConnectionFactory files;

    @Inject
    private CheckoutRegistry checkouts;

    /** What a document is. */
    public record DocumentInfo(String name, long size, Instant modified) {
    }

    /** What an upload stored. */
    public record Stored(String name, long size, String sha256, boolean created) {
    }

    /** Every document (regular files, folders walked), hidden, temporary and lock files left out. */
    public List<DocumentInfo> list() throws IOException, ResourceException {
        List<DocumentInfo> out = new ArrayList<>();
        try (CephConnection c = files.getConnection()) {
            if (!c.exists(StoreLayout.root())) {
                return out;
            }
            walk(c, StoreLayout.root(), "", out);
        }
        return out;
    }

    private static void walk(CephConnection c, String dir, String prefix, List<DocumentInfo> out) throws IOException {
        List<DirEntry> entries;
        try {
            entries = c.list(dir);
        } catch (NoSuchFileException | NotDirectoryException gone) {
            return; // deleted (or replaced) while we walked
        }
        for (DirEntry e : entries) {
            if (StoreLayout.isHidden(e.name())) {
                continue;
            }
            String path = dir + "/" + e.name();
            if (e.type() == FileType.DIRECTORY) {
                walk(c, path, prefix + e.name() + "/", out);
            } else if (e.type() == FileType.REGULAR_FILE) {
                try {
                    FileAttributes a = c.stat(path);
                    out.add(new DocumentInfo(prefix + e.name(), a.size(), a.lastModified()));
                } catch (NoSuchFileException gone) {
                    // deleted meanwhile
                }
            }
        }
    }

    /** A document's size and time; 404 when there is none. */
    public DocumentInfo info(String name) throws IOException, ResourceException {
        try (CephConnection c = files.getConnection()) {
            return info(c, name);
        }
    }

    /** A document's size and time through {@code c}; 404 when there is none (also below a document), 409 folder. */
    static DocumentInfo info(CephConnection c, String name) throws IOException {
        FileAttributes a;
        try {
            a = c.stat(StoreLayout.documentPath(name));
        } catch (NoSuchFileException e) {
            throw DocumentException.notFound(name);
        } catch (NotDirectoryException | AccessDeniedException e) {
            // a path below a document: libcephfs answers ENOTDIR, or EACCES from statx
            if (Folders.fileAncestor(c, name).isPresent()) {
                throw DocumentException.notFound(name);
            }
            throw e;
        }
        if (a.isDirectory()) {
            throw DocumentException.isAFolder(name);
        }
        if (!a.isRegularFile()) {
            throw DocumentException.notFound(name);
        }
        return new DocumentInfo(name, a.size(), a.lastModified());
    }

    /**
     * Stores {@code content} as the document {@code name}, creating folders as needed. 409 {@code locked} when it is
     * checked out (says by whom when this server knows), 409 {@code not-a-directory} when a folder of the name is a
     * document, 409 {@code not-a-document} when the name is a folder.
     */
    public Stored upload(String name, InputStream content) throws IOException, ResourceException {
        checkouts.refuseIfCheckedOut(name); // before reading the body
        try (CephConnection c = files.getConnection()) {
            String path = StoreLayout.documentPath(name);
            Folders.Created folders = Folders.prepare(c, name);
            boolean renamed = false;
            Temp temp = null;
            try {
                refuseFolder(c, name);
                temp = writeTemp(c, name, content, folders);
                Optional<CephLock> lock = LockFiles.tryWriterLock(c, name);
                if (lock.isEmpty()) {
                    throw DocumentException.checkedOut(name, checkouts.holderOf(name));
                }
                boolean created;
                try (CephLock held = lock.get()) {
                    created = !c.exists(path);
                    c.rename(temp.path, path);
                    renamed = true;
                }
                return new Stored(name, temp.size, temp.sha256, created);
            } finally {
                if (!renamed) {
                    if (temp != null) {
                        deleteQuietly(c, temp.path);
                    }
                    folders.undo(c); // nothing stored: no folder of it stays either
                }
            }
        }
    }

    /** Replaces a document whose check-out (its lock file's exclusive lock) the caller holds. */
    public Stored replaceCheckedOut(String name, InputStream content) throws IOException, ResourceException {
        try (CephConnection c = files.getConnection()) {
            Folders.Created folders = Folders.prepare(c, name);
            boolean renamed = false;
            Temp temp = null;
            try {
                refuseFolder(c, name);
                temp = writeTemp(c, name, content, folders);
                c.rename(temp.path, StoreLayout.documentPath(name));
                renamed = true;
                return new Stored(name, temp.size, temp.sha256, false);
            } finally {
                if (!renamed) {
                    if (temp != null) {
                        deleteQuietly(c, temp.path);
                    }
                    folders.undo(c);
                }
            }
        }
    }

    /** Deletes a document; 404 when missing, 409 when checked out. */
    public void delete(String name) throws IOException, ResourceException {
        checkouts.refuseIfCheckedOut(name);
        try (CephConnection c = files.getConnection()) {
            info(c, name);
            Optional<CephLock> lock = LockFiles.tryWriterLock(c, name);
            if (lock.isEmpty()) {
                throw DocumentException.checkedOut(name, checkouts.holderOf(name));
            }
            try (CephLock held = lock.get()) {
                c.delete(StoreLayout.documentPath(name));
            } catch (NoSuchFileException raced) {
                throw DocumentException.notFound(name);
            }
        }
    }

    private static void refuseFolder(CephConnection c, String name) throws IOException {
        String path = StoreLayout.documentPath(name);
        try {
            if (c.stat(path).isDirectory()) {
                throw DocumentException.isAFolder(name);
            }
        } catch (NoSuchFileException absent) {
            // a new document
        }
    }

    /** A temporary file next to the document holding the whole upload, fsynced. */
    private record Temp(String path, long size, String sha256) {
    }

    /**
     * Streams the body into a new temporary file. Its folder can vanish before the file is created (a concurrent
     * upload that created it failed and removed it): then the folders are prepared again, and {@code folders}
     * learns the ones this request now owns.
     */
    private static Temp writeTemp(CephConnection c, String name, InputStream content, Folders.Created folders)
            throws IOException {
        String path = StoreLayout.parent(StoreLayout.documentPath(name)) + "/" + StoreLayout.TEMP_PREFIX
                + UUID.randomUUID();
        OutputStream out = null;
        for (int attempt = 1; out == null; attempt++) {
            try {
                out = c.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
            } catch (NoSuchFileException folderGone) {
                if (attempt == 3) {
                    throw folderGone;
                }
                c.mkdirs(StoreLayout.root()); // a fresh file system: the store's root is missing
                folders.and(Folders.prepare(c, name));
            }
        }
        MessageDigest sha = sha256();
        long size;
        try (OutputStream o = out) {
            size = copyUpload(content, o, sha);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(c, path);
            throw e;
        }
        return new Temp(path, size, HexFormat.of().formatHex(sha.digest()));
    }

    /** Copies a request body; a failure to read it (the client went away mid-upload) is the client's: 400. */
    static long copyUpload(InputStream in, OutputStream out, MessageDigest sha) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        for (;;) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new DocumentException(400, "incomplete-upload", "the request body ended before it was "
                        + "complete (after " + total + " bytes); nothing was stored");
            }
            if (n < 0) {
                return total;
            }
            if (n > 0) {
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                total += n;
            }
        }
    }

    static void deleteQuietly(CephConnection c, String path) {
        try {
            if (!c.isClosed()) {
                c.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // renamed, or never written
        } catch (org.cephfsjca.api.CephFileSystemException e) {
            // with the session lost (the request answers 503) the file stays: hidden, named .upload-*
            LOG.log(SessionLoss.is(e) ? Level.FINE : Level.WARNING, "could not delete temporary file " + path
                    + ": " + e);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not delete temporary file " + path + ": " + e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
