package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
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

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.core.StreamingOutput;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileType;
import org.cephfsjca.api.LockMode;

/**
 * The documents, as files under {@link #root()} in CephFS. Every method takes a pooled connection and returns it
 * before it ends (the check-outs, which keep theirs, are {@link CheckoutRegistry}'s). Uploads are streamed into a
 * temporary file, fsynced, and renamed over the document, so a document is always whole; a document that is checked
 * out (locked by anyone, on any server) is neither replaced nor deleted.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // CephFS has no transactions
public class DocumentStore {

    private static final Logger LOG = Logger.getLogger(DocumentStore.class.getName());
    /** Copy buffer of uploads and downloads: the heap never holds more than this per request. */
    static final int BUFFER = 256 * 1024;
    static final String TEMP_PREFIX = ".upload-";

    @Resource(lookup = "java:/ceph/FileSystem")
    private CephConnectionFactory files;

    /** What a document is. */
    public record DocumentInfo(String name, long size, Instant modified) {
    }

    /** What an upload stored. */
    public record Stored(String name, long size, String sha256, boolean created) {
    }

    /** A document ready to be streamed: its size, and the body, which opens its own connection when written. */
    public record Download(String name, long size, StreamingOutput body) {
    }

    /** Directory (in CephFS, below the adapter's mount root) that holds the documents: system property {@code cephfs.example.root}, default {@code /documents}. */
    static String root() {
        String r = System.getProperty("cephfs.example.root", "/documents");
        while (r.length() > 1 && r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.startsWith("/") ? r : "/" + r;
    }

    static String pathOf(String name) {
        return root() + "/" + DocumentNames.validate(name);
    }

    /** Every document (regular files, folders walked), hidden and temporary files left out. */
    public List<DocumentInfo> list() throws IOException, ResourceException {
        List<DocumentInfo> out = new ArrayList<>();
        try (CephConnection c = files.getConnection()) {
            if (!c.exists(root())) {
                return out;
            }
            walk(c, root(), "", out);
        }
        return out;
    }

    private static void walk(CephConnection c, String dir, String prefix, List<DocumentInfo> out) throws IOException {
        List<DirEntry> entries;
        try {
            entries = c.list(dir);
        } catch (NoSuchFileException gone) {
            return; // deleted while we walked
        }
        for (DirEntry e : entries) {
            if (e.name().startsWith(".")) {
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
        String path = pathOf(name);
        try (CephConnection c = files.getConnection()) {
            return info(c, name, path);
        }
    }

    static DocumentInfo info(CephConnection c, String name, String path) throws IOException {
        FileAttributes a;
        try {
            a = c.stat(path);
        } catch (NoSuchFileException e) {
            throw DocumentException.notFound(name);
        }
        if (!a.isRegularFile()) {
            throw DocumentException.notFound(name);
        }
        return new DocumentInfo(name, a.size(), a.lastModified());
    }

    /**
     * The document's content, streamed: the returned body takes a connection from the pool when the container
     * writes it, copies in {@value #BUFFER}-byte steps, and gives the connection back when done.
     */
    public Download download(String name) throws IOException, ResourceException {
        String path = pathOf(name);
        DocumentInfo info = info(name);
        CephConnectionFactory factory = files;
        StreamingOutput body = out -> {
            try (CephConnection c = factory.getConnection(); InputStream in = c.newInputStream(path)) {
                copy(in, out, null);
            } catch (ResourceException e) {
                throw new IOException("no CephFS session for streaming '" + name + "': " + e.getMessage(), e);
            }
        };
        return new Download(name, info.size(), body);
    }

    /** Stores {@code content} as the document {@code name}, creating folders as needed. */
    public Stored upload(String name, InputStream content) throws IOException, ResourceException {
        String path = pathOf(name);
        try (CephConnection c = files.getConnection()) {
            return replace(c, name, path, content, true);
        }
    }

    /**
     * Streams {@code content} into a temporary file next to {@code path} (fsynced on close), then renames it over
     * the document. With {@code checkLock}, refuses (409) when another owner holds the document's lock; the caller
     * of check-in holds that lock itself and passes false.
     */
    static Stored replace(CephConnection c, String name, String path, InputStream content, boolean checkLock)
            throws IOException {
        String dir = path.substring(0, path.lastIndexOf('/'));
        c.mkdirs(dir);
        if (c.exists(path) && !c.stat(path).isRegularFile()) {
            throw new DocumentException(409, "not-a-document", "'" + name + "' is a folder");
        }
        String temp = dir + "/" + TEMP_PREFIX + UUID.randomUUID();
        MessageDigest sha = sha256();
        long size;
        try (OutputStream out = c.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC)) {
            size = copy(content, out, sha);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(c, temp);
            throw e;
        }
        boolean created = true;
        Optional<CephLock> lock = Optional.empty();
        try {
            if (checkLock) {
                try {
                    lock = c.tryLock(path, LockMode.EXCLUSIVE);
                    created = false;
                    if (lock.isEmpty()) {
                        throw DocumentException.locked(name, "is checked out; check it in first");
                    }
                } catch (NoSuchFileException absent) {
                    created = true;
                }
            } else {
                created = false;
            }
            c.rename(temp, path);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(c, temp);
            throw e;
        } finally {
            lock.ifPresent(CephLock::close);
        }
        return new Stored(name, size, HexFormat.of().formatHex(sha.digest()), created);
    }

    /** Deletes a document; 404 when missing, 409 when checked out. */
    public void delete(String name) throws IOException, ResourceException {
        String path = pathOf(name);
        try (CephConnection c = files.getConnection()) {
            info(c, name, path);
            Optional<CephLock> lock;
            try {
                lock = c.tryLock(path, LockMode.EXCLUSIVE);
            } catch (NoSuchFileException e) {
                throw DocumentException.notFound(name);
            }
            if (lock.isEmpty()) {
                throw DocumentException.locked(name, "is checked out; check it in first");
            }
            try {
                c.delete(path);
            } finally {
                lock.get().close();
            }
        }
    }

    static long copy(InputStream in, OutputStream out, MessageDigest sha) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            if (n > 0) {
                out.write(buf, 0, n);
                if (sha != null) {
                    sha.update(buf, 0, n);
                }
                total += n;
            }
        }
        return total;
    }

    static void deleteQuietly(CephConnection c, String path) {
        try {
            if (!c.isClosed()) {
                c.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // never written
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not delete temporary file " + path, e);
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
