package org.cephfsjca.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * Each document has a lock file of its own, {@code <root>/.locks/<sha256 of the name>.lock}: empty, created by the
 * first upload or check-out of the name, never written, never deleted (a lock file deleted while someone holds its
 * lock would let a second holder lock a new file of the same name). Locks are taken on it, never on the document:
 * a check-out holds it for days, and a libcephfs client that holds a file it wrote open makes every other client's
 * stat or open of that file wait (~5 s per call), so the document itself is never kept open.
 * <ul>
 * <li>a check-out holds the lock file's EXCLUSIVE lock ({@code CephConnectionFactory.holdLock}, outside the pool);</li>
 * <li>a writer (upload, delete) takes its SHARED lock just around the rename or unlink: writers never exclude each
 * other (concurrent uploads of one name all succeed, the last rename wins), and a check-out excludes them all, on
 * this server and on any other Ceph client that follows the same rule.</li>
 * </ul>
 * The file name is the SHA-256 of the (NFC) document name's UTF-8 bytes: one flat folder, a fixed length whatever
 * the name's length, and no clash between a document {@code a} and a folder {@code a}.
 */
final class LockFiles {

    static final String SUFFIX = ".lock";

    private LockFiles() {
    }

    /** The lock file of a valid, normalized document name. */
    static String pathOf(String name) {
        return StoreLayout.lockDir() + "/" + hash(name) + SUFFIX;
    }

    static String hash(String name) {
        return HexFormat.of().formatHex(DocumentStore.sha256().digest(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** The lock file of {@code name}, created (empty) when missing. */
    static String ensure(CephConnection c, String name) throws IOException {
        String lock = pathOf(name);
        if (c.exists(lock)) {
            return lock;
        }
        c.mkdirs(StoreLayout.lockDir());
        try (CephFileChannel created = c.openChannel(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // empty on purpose: never written
        } catch (FileAlreadyExistsException raced) {
            // another request created it meanwhile
        }
        return lock;
    }

    /**
     * A writer's SHARED lock on the lock file (created when missing), through {@code c}; empty when a check-out
     * (anyone's EXCLUSIVE lock) holds it. Release it right after the rename or unlink it protects.
     */
    static Optional<CephLock> tryWriterLock(CephConnection c, String name) throws IOException {
        return c.tryLock(ensure(c, name), LockMode.SHARED);
    }
}
