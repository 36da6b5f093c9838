package org.cephfsjca.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.OpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A handle on one pooled CephFS session. Not meant to be shared between threads that close it; the objects it
 * opens (streams, channels, locks) are closed, and its locks released, when the connection is closed.
 *
 * <p>Paths are absolute within the adapter's mount root ({@code /docs/a.txt}); {@code .} and {@code ..} are
 * resolved before anything reaches Ceph, and a path that would climb above the root is refused with
 * {@link IllegalArgumentException}, as are NUL bytes and over-long names. Failures from Ceph are
 * {@link IOException}s: the {@code java.nio.file} types where one fits ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.FileAlreadyExistsException}, {@link java.nio.file.AccessDeniedException},
 * {@link java.nio.file.DirectoryNotEmptyException}, ...), otherwise {@link CephFileSystemException} with the
 * errno. Use after {@link #close()} throws {@link IllegalStateException}.
 */
public interface CephConnection extends AutoCloseable {

    // ------------------------------------------------------------ metadata and directories

    /** Attributes of {@code path}, following symbolic links. */
    FileAttributes stat(String path) throws IOException;

    /** Attributes of {@code path}; of the link itself when {@code followLinks} is false. */
    FileAttributes stat(String path, boolean followLinks) throws IOException;

    /** True if {@code path} exists. */
    boolean exists(String path) throws IOException;

    /** Entries of a directory, without {@code .} and {@code ..}, in the order Ceph returns them. */
    List<DirEntry> list(String directory) throws IOException;

    /** Creates one directory; its parent must exist. */
    void createDirectory(String path) throws IOException;

    /** Creates a directory and any missing parents; an existing directory is fine. */
    void mkdirs(String path) throws IOException;

    /** Deletes a file, a symbolic link or an empty directory. */
    void delete(String path) throws IOException;

    /** Deletes {@code path} and, if it is a directory, everything under it. Missing is not an error. */
    void deleteRecursively(String path) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing a file at {@code to}. */
    void rename(String from, String to) throws IOException;

    // ------------------------------------------------------------ whole files, streams, channels

    /** The whole content of a file. Refuses files larger than 1 GiB: stream those. */
    byte[] readAllBytes(String path) throws IOException;

    /**
     * Writes {@code data} to a file. With no options: create or truncate, then write (as
     * {@link java.nio.file.Files#write}). Supported options: {@link java.nio.file.StandardOpenOption}
     * {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code APPEND}, {@code WRITE}, {@code SYNC},
     * {@code DSYNC}. {@code SYNC}/{@code DSYNC} mean one fsync before the call (or the stream or channel) completes,
     * not one per write: the data is on the OSDs when it returns (or is closed).
     */
    void write(String path, byte[] data, OpenOption... options) throws IOException;

    /** A stream over a file's content (buffered, reads ahead in large chunks). */
    InputStream newInputStream(String path) throws IOException;

    /** A stream into a file; options as for {@link #write}. Closing it flushes; use SYNC to fsync on close. */
    OutputStream newOutputStream(String path, OpenOption... options) throws IOException;

    /**
     * A channel with positional {@link java.nio.ByteBuffer} I/O and fsync. Options as for {@link #write} plus
     * {@code READ}; with none, the file is opened for reading.
     */
    CephFileChannel openChannel(String path, OpenOption... options) throws IOException;

    // ------------------------------------------------------------ extended attributes and quotas

    /**
     * The value of extended attribute {@code name} (for example {@code user.owner}, or Ceph's virtual
     * {@code ceph.dir.rbytes}).
     *
     * @throws CephFileSystemException with {@link Errno#ENODATA} when the attribute is not set
     */
    byte[] getXattr(String path, String name) throws IOException;

    /** Sets (creates or replaces) extended attribute {@code name}; values are limited to 64 KiB. */
    void setXattr(String path, String name, byte[] value) throws IOException;

    /** Names of the extended attributes set on {@code path}. */
    List<String> listXattrs(String path) throws IOException;

    /** Removes extended attribute {@code name}. */
    void removeXattr(String path, String name) throws IOException;

    /** Sets a directory's quota ({@code ceph.quota.max_bytes}/{@code max_files}); 0 removes a limit. */
    void setQuota(String directory, Quota quota) throws IOException;

    /** A directory's quota; {@link Quota#UNLIMITED} when none is set. */
    Quota getQuota(String directory) throws IOException;

    /** Capacity of the file system. */
    FileSystemStats statfs() throws IOException;

    // ------------------------------------------------------------ locks

    /**
     * Takes a whole-file advisory lock at once if it is free. The lock excludes other connections, on this server
     * and on any other Ceph client, and is released by {@link CephLock#close()} or when this connection closes.
     *
     * @return the lock, or empty when another owner holds a conflicting one
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     */
    Optional<CephLock> tryLock(String path, LockMode mode) throws IOException;

    /**
     * Takes a lock, waiting up to {@code timeout} for it.
     *
     * @throws LockUnavailableException when the timeout passes with the lock still held elsewhere
     */
    CephLock lock(String path, LockMode mode, Duration timeout) throws IOException;

    // ------------------------------------------------------------ lifecycle

    /** Closes everything opened through this connection, releases its locks, and returns the session. */
    @Override
    void close();

    boolean isClosed();
}
