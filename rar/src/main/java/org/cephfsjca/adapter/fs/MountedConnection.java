package org.cephfsjca.adapter.fs;

import org.cephfsjca.adapter.fault.FatalErrors;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileSystemStats;
import org.cephfsjca.api.FileType;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.api.Quota;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * {@link CephConnection} over a mounted {@link CephMount}: the handle an application holds. It normalizes every
 * path ({@link PathNames}), tracks the streams, channels and locks it opens so that {@link #close()} releases them,
 * and tells its {@link Listener} (the JCA managed connection) when a call shows that the session is lost
 * ({@link FatalErrors}).
 *
 * <p>Thread-safe. {@link #reassociate} moves the handle to another session; what was opened before keeps working
 * on the session it was opened on and is still released when this handle closes.
 */
public class MountedConnection implements CephConnection {

    /** Callbacks to the owner (the JCA ManagedConnection). */
    public interface Listener {

        /** The application called {@link MountedConnection#close()}. */
        void connectionClosed(MountedConnection c);

        /**
         * A call failed with a fatal error ({@link FatalErrors}): the session is unusable. Called once per session.
         * {@code c} is null when the handle was already garbage collected (a failure on a stream it left open).
         */
        void connectionFailed(MountedConnection c, Exception cause);

        /**
         * The handle was garbage collected without {@link MountedConnection#close()}; the {@code released}
         * resources it left open are closed already. {@code origin} is where it was obtained, or null.
         */
        default void connectionLeaked(HandleState handle, int released, Throwable origin) {
        }
    }

    private static final System.Logger LOG = System.getLogger(MountedConnection.class.getName());

    /** {@link #readAllBytes} reads at most this much; larger files are for streams. */
    static final long MAX_READ_ALL = 1L << 30;
    static final int DIR_MODE = 0755;
    static final String QUOTA_MAX_BYTES = "ceph.quota.max_bytes";
    static final String QUOTA_MAX_FILES = "ceph.quota.max_files";

    private final HandleState state = new HandleState();
    private final ResourceTracker tracker = state.tracker;

    /** @param listener told about close and session failure; null for plain use outside a container */
    public MountedConnection(CephMount mount, Listener listener) {
        state.session = bind(mount, listener);
    }

    /** What the owner and the leak detector hold instead of the handle (it must stay collectable). */
    public HandleState state() {
        return state;
    }

    // ------------------------------------------------------------ owner's side

    /**
     * Closes every stream, channel and lock opened through this connection (locks unlocked first) without telling
     * the listener; the connection stays usable. Used by ManagedConnection.cleanup().
     *
     * @return how many resources were still open
     */
    public int releaseResources() {
        return state.releaseResources();
    }

    /**
     * Makes this handle unusable (later calls throw {@link IllegalStateException}) and releases its resources,
     * without calling {@link Listener#connectionClosed}. Used by cleanup() and destroy().
     */
    public void invalidate() {
        state.invalidate();
    }

    /**
     * Re-points this handle at another session (JCA associateConnection). Resources already open stay on the
     * session they were opened on.
     *
     * @throws IllegalStateException if the handle is closed or invalidated
     */
    public void reassociate(CephMount mount, Listener listener) {
        SessionBinding next = bind(mount, listener);
        ensureOpen();
        state.session = next;
    }

    /** Resources open through this connection now (diagnostics, tests). */
    public int openResourceCount() {
        return tracker.size();
    }

    /** The listener (the JCA managed connection) this handle reports to now, or null. */
    public Listener owner() {
        return state.session.listener();
    }

    /** The mount this handle uses now. */
    public CephMount mount() {
        return state.session.mount;
    }

    private SessionBinding bind(CephMount mount, Listener listener) {
        if (mount == null) {
            throw new IllegalArgumentException("mount is null");
        }
        return new SessionBinding(mount, listener, this);
    }

    // ------------------------------------------------------------ metadata and directories

    @Override
    public FileAttributes stat(String path) throws IOException {
        return stat(path, true);
    }

    @Override
    public FileAttributes stat(String path, boolean followLinks) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> s.mount.stat(p, followLinks));
    }

    /** True if {@code path} exists (following links); false too when a parent is a file (ENOTDIR). */
    @Override
    public boolean exists(String path) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> {
            try {
                return s.mount.exists(p);
            } catch (NotDirectoryException e) {
                return false; // "/file/child": as java.nio.file.Files.exists says
            }
        });
    }

    @Override
    public List<DirEntry> list(String directory) throws IOException {
        String p = PathNames.normalize(directory);
        return call(s -> s.mount.list(p));
    }

    @Override
    public void createDirectory(String path) throws IOException {
        String p = PathNames.normalize(path);
        run(s -> s.mount.mkdir(p, DIR_MODE));
    }

    /** Creates missing directories; an existing directory is fine, an existing file is FileAlreadyExists. */
    @Override
    public void mkdirs(String path) throws IOException {
        String p = PathNames.normalize(path);
        run(s -> {
            s.mount.mkdirs(p, DIR_MODE);
            // ceph_mkdirs reports success when the last component exists as a file: check, as Files does
            if (!s.mount.stat(p, true).isDirectory()) {
                throw new FileAlreadyExistsException(p, null, "exists and is not a directory");
            }
        });
    }

    /** Deletes a file, a symbolic link (not its target) or an empty directory. The mount root is refused. */
    @Override
    public void delete(String path) throws IOException {
        String p = notRoot(PathNames.normalize(path), "delete");
        run(s -> {
            if (s.mount.stat(p, false).isDirectory()) {
                s.mount.rmdir(p);
            } else {
                s.mount.unlink(p);
            }
        });
    }

    /**
     * Deletes {@code path} and everything under it, depth first. Symbolic links are unlinked, never followed.
     * Entries that vanish meanwhile are fine. The mount root is refused: delete its children instead.
     */
    @Override
    public void deleteRecursively(String path) throws IOException {
        String p = notRoot(PathNames.normalize(path), "delete");
        run(s -> {
            FileAttributes a;
            try {
                a = s.mount.stat(p, false);
            } catch (NoSuchFileException e) {
                return;
            }
            deleteTree(s.mount, p, a.type());
        });
    }

    private static void deleteTree(CephMount m, String path, FileType type) throws IOException {
        try {
            if (type == FileType.OTHER) {
                type = m.stat(path, false).type(); // the directory entry did not say (DT_UNKNOWN)
            }
            if (type == FileType.DIRECTORY) {
                for (DirEntry e : m.list(path)) {
                    deleteTree(m, path + "/" + e.name(), e.type());
                }
                m.rmdir(path);
            } else {
                m.unlink(path);
            }
        } catch (NoSuchFileException e) {
            // removed by someone else meanwhile: that is what we wanted
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        String f = PathNames.normalize(from);
        String t = PathNames.normalize(to);
        run(s -> s.mount.rename(f, t));
    }

    // ------------------------------------------------------------ whole files, streams, channels

    /** The whole file, read until end of file (it may grow while being read); refuses more than 1 GiB. */
    @Override
    public byte[] readAllBytes(String path) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> {
            try (CephFile f = s.mount.open(p, O_RDONLY, 0)) {
                long size = f.stat().size();
                checkReadAllSize(p, size);
                byte[] buf = new byte[(int) Math.max(size, 8192)];
                int n = 0;
                for (;;) {
                    if (n == buf.length) {
                        if (buf.length >= MAX_READ_ALL) {
                            checkReadAllSize(p, MAX_READ_ALL + f.read(new byte[1], 0, 1, n));
                            break; // at end of file exactly at the limit
                        }
                        buf = Arrays.copyOf(buf, (int) Math.min(MAX_READ_ALL, 2L * buf.length));
                    }
                    int r = f.read(buf, n, buf.length - n, n);
                    if (r == 0) {
                        break;
                    }
                    n += r;
                }
                return n == buf.length ? buf : Arrays.copyOf(buf, n);
            }
        });
    }

    private static void checkReadAllSize(String path, long size) throws IOException {
        if (size > MAX_READ_ALL) {
            throw new IOException(PathNames.quote(path) + " is " + size + " bytes; readAllBytes reads at most "
                    + MAX_READ_ALL + " (1 GiB): use newInputStream");
        }
    }

    /** Writes {@code data}, then fsyncs it with SYNC or DSYNC, then closes the file. */
    @Override
    public void write(String path, byte[] data, OpenOption... options) throws IOException {
        String p = PathNames.normalize(path);
        if (data == null) {
            throw new IllegalArgumentException("data is null");
        }
        OpenOptions o = OpenOptions.forWrite(options);
        run(s -> {
            try (CephFile f = s.mount.open(p, o.flags, OpenOptions.FILE_MODE)) {
                int done = 0;
                while (done < data.length) {
                    int n = f.write(data, done, data.length - done, -1);
                    if (n <= 0) {
                        throw new IOException(PathNames.quote(p) + ": ceph_write wrote nothing with "
                                + (data.length - done) + " bytes left");
                    }
                    done += n;
                }
                if (o.sync != OpenOptions.Sync.NONE) {
                    f.fsync(o.sync == OpenOptions.Sync.DATA);
                }
            }
        });
    }

    @Override
    public InputStream newInputStream(String path) throws IOException {
        String p = PathNames.normalize(path);
        return openTracked(p, O_RDONLY, of -> new CephInputStream(of, of.file.stat().size()));
    }

    @Override
    public OutputStream newOutputStream(String path, OpenOption... options) throws IOException {
        String p = PathNames.normalize(path);
        OpenOptions o = OpenOptions.forWrite(options);
        return openTracked(p, o.flags, of -> new CephOutputStream(of, o.sync));
    }

    @Override
    public CephFileChannel openChannel(String path, OpenOption... options) throws IOException {
        String p = PathNames.normalize(path);
        OpenOptions o = OpenOptions.forChannel(options);
        return openTracked(p, o.flags, of -> new FileChannelImpl(of, o));
    }

    /** Builds a resource on an open file; may throw, in which case the file is closed. */
    private interface ResourceOnFile<T extends TrackedResource> {
        T wrap(OpenFile file) throws IOException;
    }

    /** Opens {@code p}, wraps the file and tracks the result; the file never leaks when wrapping fails. */
    private <T extends TrackedResource> T openTracked(String p, int flags, ResourceOnFile<T> wrap) throws IOException {
        return call(s -> {
            CephFile f = s.mount.open(p, flags, OpenOptions.FILE_MODE);
            try {
                T resource = wrap.wrap(new OpenFile(f, p, s, tracker));
                tracker.register(resource);
                return resource;
            } catch (IOException | RuntimeException | Error e) {
                f.close();
                throw e;
            }
        });
    }

    // ------------------------------------------------------------ extended attributes and quotas

    @Override
    public byte[] getXattr(String path, String name) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> s.mount.getXattr(p, name));
    }

    @Override
    public void setXattr(String path, String name, byte[] value) throws IOException {
        String p = PathNames.normalize(path);
        run(s -> s.mount.setXattr(p, name, value, 0));
    }

    @Override
    public List<String> listXattrs(String path) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> s.mount.listXattrs(p));
    }

    @Override
    public void removeXattr(String path, String name) throws IOException {
        String p = PathNames.normalize(path);
        run(s -> s.mount.removeXattr(p, name));
    }

    @Override
    public void setQuota(String directory, Quota quota) throws IOException {
        String p = PathNames.normalize(directory);
        if (quota == null) {
            throw new IllegalArgumentException("quota is null");
        }
        run(s -> {
            requireDirectory(s.mount, p);
            s.mount.setXattr(p, QUOTA_MAX_BYTES, Long.toString(quota.maxBytes()));
            s.mount.setXattr(p, QUOTA_MAX_FILES, Long.toString(quota.maxFiles()));
        });
    }

    @Override
    public Quota getQuota(String directory) throws IOException {
        String p = PathNames.normalize(directory);
        return call(s -> {
            requireDirectory(s.mount, p);
            Quota q = new Quota(quotaValue(s.mount, p, QUOTA_MAX_BYTES), quotaValue(s.mount, p, QUOTA_MAX_FILES));
            return q.equals(Quota.UNLIMITED) ? Quota.UNLIMITED : q;
        });
    }

    private static void requireDirectory(CephMount m, String path) throws IOException {
        if (!m.stat(path, true).isDirectory()) {
            throw new NotDirectoryException(path + " (quotas are set on directories)");
        }
    }

    /** One quota xattr as a number; ENODATA (never set) means no limit. */
    private static long quotaValue(CephMount m, String path, String name) throws IOException {
        byte[] raw;
        try {
            raw = m.getXattr(path, name);
        } catch (CephFileSystemException e) {
            if (e.errno() == Errno.ENODATA) {
                return 0;
            }
            throw e;
        }
        String text = new String(raw, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(PathNames.quote(path) + ": " + name + " is not a number: " + PathNames.quote(text),
                    e);
        }
    }

    @Override
    public FileSystemStats statfs() throws IOException {
        return call(s -> s.mount.statfs("/"));
    }

    // ------------------------------------------------------------ locks

    @Override
    public Optional<CephLock> tryLock(String path, LockMode mode) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> FileLockImpl.tryAcquire(s, tracker, p, mode));
    }

    /**
     * Polls for the lock until {@code timeout} passes (the blocking native flock cannot be interrupted or timed
     * out, so it is never used). An interrupt ends the wait with {@link java.io.InterruptedIOException}.
     *
     * @throws IllegalArgumentException if {@code timeout} is null or negative
     */
    @Override
    public CephLock lock(String path, LockMode mode, Duration timeout) throws IOException {
        String p = PathNames.normalize(path);
        return call(s -> FileLockImpl.acquire(s, tracker, p, mode, timeout));
    }

    // ------------------------------------------------------------ lifecycle

    /**
     * Releases every stream, channel and lock (locks first), then tells the listener, once. Idempotent.
     */
    @Override
    public void close() {
        if (!state.markClosed()) {
            return;
        }
        tracker.releaseAll(true);
        Listener l = state.session.listener();
        if (l != null) {
            try {
                l.connectionClosed(this);
            } catch (RuntimeException e) {
                // the application is done with the handle; the owner's failure is its own to log
                LOG.log(System.Logger.Level.WARNING, "listener failed on close of " + this, e);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return state.isClosed();
    }

    // ------------------------------------------------------------ plumbing

    /** A call on the session. */
    @FunctionalInterface
    private interface SessionCall<T> {
        T apply(SessionBinding s) throws IOException;
    }

    /** A call on the session with no result. */
    @FunctionalInterface
    private interface SessionRun {
        void apply(SessionBinding s) throws IOException;
    }

    /** Runs {@code c} on the current session; fatal failures are reported to the listener, then rethrown. */
    private <T> T call(SessionCall<T> c) throws IOException {
        SessionBinding s = ensureOpen();
        try {
            return c.apply(s);
        } catch (IOException | RuntimeException e) {
            s.reportIfFatal(e);
            throw e;
        } finally {
            // the handle must not look unreachable (and be reclaimed as leaked) while a call through it runs
            Reference.reachabilityFence(this);
        }
    }

    private void run(SessionRun r) throws IOException {
        call(s -> {
            r.apply(s);
            return null;
        });
    }

    private SessionBinding ensureOpen() {
        if (state.isClosed()) {
            throw new IllegalStateException("connection is closed");
        }
        return state.session;
    }

    private static String notRoot(String path, String what) {
        if (path.equals("/")) {
            throw new IllegalArgumentException("refusing to " + what + " the mount root \"/\"");
        }
        return path;
    }

    @Override
    public String toString() {
        return "MountedConnection[" + (state.isClosed() ? "closed" : "open") + ", " + tracker.size() + " open, "
                + state.session.mount + "]";
    }
}
