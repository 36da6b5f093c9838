package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.CephErrors.check;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileSystemStats;

/**
 * One libcephfs client ({@code struct ceph_mount_info}): one MDS session once mounted. Thread-safe.
 *
 * <p>The lifecycle is enforced here, in Java, because libcephfs asserts or dereferences NULL when calls come in
 * the wrong state: {@link #create} &rarr; configure ({@link #readConfigFile}, {@link #setOption}) &rarr;
 * {@link #init} &rarr; reclaim and identity ({@link #setSessionTimeout}, {@link #startReclaim},
 * {@link #finishReclaim}, {@link #setUuid}) &rarr; {@link #mount} &rarr; file system calls &rarr;
 * {@link #unmount} / {@link #close}. A call in the wrong state throws {@link IllegalStateException} and never
 * reaches C. {@link #close} is safe at any time, from any thread, any number of times: the native handle is
 * released only when no other thread is inside a call on it (see {@link NativeGuard}).
 */
public final class CephMount implements AutoCloseable {

    /** {@code CEPH_RECLAIM_RESET}: discard the old session's state (the only flag the MDS implements). */
    public static final int RECLAIM_RESET = 1;

    /** Longest uuid accepted: MDS client metadata is not meant for more, and messages stay readable. */
    public static final int MAX_UUID_LENGTH = 128;

    private static final Pattern UUID_CHARS = Pattern.compile("[A-Za-z0-9._:@+-]+");
    private static final Pattern CEPHX_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Options whose values are secrets: never echoed in a message. */
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i).*(key|secret|password).*");

    private static final int STATX_WANT = 0x00000fff; // CEPH_STATX_BASIC_STATS | CEPH_STATX_BTIME
    private static final int STATX_MODE = 0x00000001; // CEPH_STATX_MODE
    private static final int AT_STATX_DONT_SYNC = 0x4000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int DRAIN_TIMEOUT_SECONDS = 30;

    enum State { CREATED, INITIALIZED, MOUNTED, UNMOUNTED }

    private final long cmount;
    private final NativeGuard guard;
    private final String cephxId;
    private volatile State state = State.CREATED;
    private volatile String uuid;
    private volatile boolean reclaiming;
    private volatile boolean reclaimUsed;
    private volatile boolean warmedUp;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> afterRelease =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean released;
    private volatile CallWatch.Watcher watcher;
    private volatile boolean everWatched;
    private volatile String fenced;
    private volatile CallGate gate;

    /** Made by {@link #sharingContextOf}: its configuration is another client's, and not its own to change. */
    private final boolean sharedContext;

    private CephMount(long cmount, String cephxId, boolean sharedContext) {
        this.cmount = cmount;
        this.cephxId = cephxId;
        this.sharedContext = sharedContext;
        this.guard = new NativeGuard("ceph mount (client." + cephxId + ")", this::free);
        NativeHandles.MOUNTS.incrementAndGet();
    }

    /**
     * {@code ceph_create}: a new, unconfigured client for cephx user {@code client.<cephxId>}.
     *
     * @param cephxId the cephx id without the {@code client.} prefix; {@code null} means {@code admin}
     */
    public static CephMount create(String cephxId) throws FileSystemException {
        String id = cephxId == null ? "admin" : cephxId;
        if (!CEPHX_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cephx id must be 1-128 characters of [A-Za-z0-9._-] (without the "
                    + "'client.' prefix): '" + CString.printable(id) + "'");
        }
        long[] out = new long[1];
        int rc = LibCephFs.ceph_create(out, CString.of("cephx id", id, 128));
        check(rc, "ceph_create", "client." + id);
        if (out[0] == 0) {
            throw new CephFileSystemException("ceph_create", Errno.ENOMEM.code(), "client." + id, null,
                    "ceph_create returned no handle");
        }
        return new CephMount(out[0], id, false);
    }

    /**
     * {@code ceph_create_with_context}: a new client on {@code initialized}'s CephContext (configuration, cephx user,
     * log, messenger threads), which the new client keeps alive. It saves most of a client's creation and
     * initialization (measured in C: 65 initializations 120 ms of wall time and 165 ms of CPU against 275 and 460 with
     * a context each), for the short-lived clients that reset sessions at start. The new client cannot be configured
     * (that would change the other's configuration too).
     *
     * <p>{@code initialized} must have been initialized: libcephfs starts a context's log thread in the first
     * {@code ceph_init} on it, and two first inits at once abort the process ({@code std::terminate}: a thread started
     * twice). After that, inits of clients sharing the context may run at the same time.
     */
    public static CephMount sharingContextOf(CephMount initialized) throws FileSystemException {
        long[] out = new long[1];
        initialized.enter(State.INITIALIZED, "ceph_create_with_context");
        try {
            long cct = LibCephFs.ceph_get_mount_context(initialized.cmount);
            if (cct == 0) {
                throw new CephFileSystemException("ceph_get_mount_context", Errno.EINVAL.code(),
                        initialized.describe(), null, "the client has no CephContext");
            }
            check(LibCephFs.ceph_create_with_context(out, cct), "ceph_create_with_context", initialized.describe());
        } finally {
            initialized.guard.exit();
        }
        if (out[0] == 0) {
            throw new CephFileSystemException("ceph_create_with_context", Errno.ENOMEM.code(),
                    initialized.describe(), null, "ceph_create_with_context returned no handle");
        }
        return new CephMount(out[0], initialized.cephxId, true);
    }

    /** {@code ceph_version}: the libcephfs version string, e.g. {@code 16.2.15}. */
    public static String version() {
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] patch = new int[1];
        long p = LibCephFs.ceph_version(major, minor, patch);
        return p == 0 ? major[0] + "." + minor[0] + "." + patch[0] : new Pointer(p).getString(0, "UTF-8");
    }

    /**
     * One line for the start-up log: the library, JNA, and whether native memory is read with plain loads
     * ({@code sun.misc.Unsafe}) or, where the class loader hides it, with a JNI call per buffer address.
     */
    public static String nativeAccess() {
        String memory = DirectBuffers.readsAddressesDirectly() // implies NativeMemory.AVAILABLE: the same Unsafe
                ? "buffer addresses and directory entries read with sun.misc.Unsafe"
                : "sun.misc.Unsafe is not visible (on WildFly the .rar asks for module jdk.unsupported), so every "
                        + "buffer address costs a JNI call";
        return "libcephfs " + version() + " through JNA " + com.sun.jna.Native.VERSION + " (direct mapping); "
                + memory;
    }

    // ---------------------------------------------------------------- configuration (before init)

    /** {@code ceph_conf_read_file}: reads a ceph.conf; {@code null} searches the default places and $CEPH_CONF. */
    public void readConfigFile(String path) throws FileSystemException {
        byte[] p = path == null ? null : CString.path("ceph.conf path", path);
        rejectSharedContext("ceph_conf_read_file");
        enter(State.CREATED, "ceph_conf_read_file");
        try {
            check(LibCephFs.ceph_conf_read_file(cmount, p), "ceph_conf_read_file", path == null ? "(default)" : path);
        } finally {
            guard.exit();
        }
    }

    /**
     * {@code ceph_conf_set}. Values of options whose name mentions a key or secret are never shown in
     * exceptions.
     */
    public void setOption(String option, String value) throws FileSystemException {
        byte[] o = CString.of("option name", option, 256);
        boolean secret = SECRET_OPTION.matcher(option).matches();
        byte[] v = secret ? CString.secret("value of " + option, value, 64 * 1024)
                : CString.of("value of " + option, value, 64 * 1024);
        enterConfigurable("ceph_conf_set");
        try {
            int rc = LibCephFs.ceph_conf_set(cmount, o, v);
            check(rc, "ceph_conf_set", option + "=" + (secret ? "<redacted>" : value));
        } finally {
            guard.exit();
        }
    }

    /** {@code ceph_conf_get}: the current value of a config option. */
    public String getOption(String option) throws FileSystemException {
        if (SECRET_OPTION.matcher(option).matches()) {
            throw new IllegalArgumentException("option " + option + " holds a secret and cannot be read back");
        }
        return readOption(option);
    }

    /**
     * The {@code keyring} option: where libcephfs looks for this user's key (a comma-separated list of paths, with
     * metavariables such as {@code $name} expanded). A list of paths, not a secret, unlike the other options named
     * like {@code key}.
     */
    public String keyringSearchPath() throws FileSystemException {
        return readOption("keyring");
    }

    private String readOption(String option) throws FileSystemException {
        byte[] o = CString.of("option name", option, 256);
        guard.enter();
        try {
            for (int size = 256; ; size *= 4) {
                byte[] buf = new byte[size];
                int rc = LibCephFs.ceph_conf_get(cmount, o, buf, size);
                if (rc == -Errno.ENAMETOOLONG.code() && size < 1 << 20) {
                    continue; // value longer than buf
                }
                check(rc, "ceph_conf_get", option);
                int len = 0;
                while (len < size && buf[len] != 0) {
                    len++;
                }
                return CString.decode(buf, 0, len);
            }
        } finally {
            guard.exit();
        }
    }

    /** {@code ceph_init}: connects to the monitors and authenticates; after this, reclaim calls are allowed. */
    public void init() throws FileSystemException {
        enter(State.CREATED, "ceph_init");
        try {
            check(LibCephFs.ceph_init(cmount), "ceph_init", "client." + cephxId);
            state = State.INITIALIZED;
        } finally {
            guard.exit();
        }
    }

    /** {@code ceph_select_filesystem}: which file system {@link #mount} attaches to. */
    public void selectFileSystem(String fsName) throws FileSystemException {
        byte[] n = CString.of("file system name", fsName, 256);
        enterConfigurable("ceph_select_filesystem");
        try {
            check(LibCephFs.ceph_select_filesystem(cmount, n), "ceph_select_filesystem", fsName);
        } finally {
            guard.exit();
        }
    }

    // ---------------------------------------------------------------- reclaim (after init, before mount)

    /** {@code ceph_set_session_timeout}: how long the MDS keeps this session alive after the client dies. */
    public void setSessionTimeout(int seconds) {
        if (seconds < 1 || seconds > 24 * 3600) {
            throw new IllegalArgumentException("session timeout must be 1..86400 s: " + seconds);
        }
        enter(State.INITIALIZED, "ceph_set_session_timeout");
        try {
            LibCephFs.ceph_set_session_timeout(cmount, seconds);
        } finally {
            guard.exit();
        }
    }

    /**
     * {@code ceph_start_reclaim}: acts on the session another client left with {@code uuid}.
     * With {@link #RECLAIM_RESET} the MDS evicts and blocklists that client and drops its caps and locks.
     *
     * @return 0 on success, or the negative errno the MDS answered with for the "expected" outcomes
     *         {@code -ENOENT} (no session has this uuid), so callers can count them without exceptions
     * @throws FileSystemException for any other error, naming the uuid and errno (EPERM: a different cephx
     *                             user owned the session; EINVAL/EOPNOTSUPP: the flags are not supported)
     * @throws IllegalStateException on a second call on the same client: one reclaim per client
     */
    public int startReclaim(String uuid, int flags) throws FileSystemException {
        return startReclaim(uuid, flags, false);
    }

    /**
     * Opens this unmounted client's MDS sessions ahead of its one reset, so that the reset itself is a single message
     * (a session open is a journal write first): a reset of a random uuid that no session has, which answers
     * {@code ENOENT} and touches nothing, then {@code ceph_finish_reclaim}, which after an ENOENT only clears the
     * client's reclaim state so that the next reset is sent. (After a reset that found a session libcephfs keeps that
     * target's addresses and answers 0 to any later reset: hence one true reset per client, and at most one warm-up
     * before it.) Returns true in the impossible case that the random uuid had a session; that then counts as the
     * client's one reset.
     */
    public boolean warmUpReset() throws FileSystemException {
        if (warmedUp) {
            throw new IllegalStateException("warmUpReset: this client was already warmed up");
        }
        warmedUp = true;
        return startReclaim("cephfs-jca-warm-up-" + java.util.UUID.randomUUID(), RECLAIM_RESET, true) == 0;
    }

    private int startReclaim(String uuid, int flags, boolean warmUp) throws FileSystemException {
        byte[] u = CString.of("uuid", validateUuid(uuid), MAX_UUID_LENGTH);
        CallWatch.Watcher w = watcher;
        if (w == null) {
            return reclaim(uuid, u, flags, warmUp);
        }
        // Watched: the call may wait for an MDS rank that is down, and a fence cannot wake a client that is not
        // mounted (it never learns it was blocklisted until an MDS answers again). So it runs on a thread of its own
        // and the caller waits at most the timeout plus a grace; past that it gets the timeout, the client (fenced by
        // the watchdog, so it can never complete the reset later) keeps that thread until libcephfs returns, and
        // close() releases it then.
        java.util.concurrent.Future<Integer> f = RECLAIMS.submit(() -> reclaim(uuid, u, flags, warmUp));
        try {
            return f.get(TimeUnit.NANOSECONDS.toMillis(w.timeoutNanos()) + CallWatch.UNWAKEABLE_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            String why = fenced;
            throw new OperationTimeoutException("ceph_start_reclaim", "uuid " + uuid, null, w.describeTimeout(),
                    why == null ? "its client could not be fenced" : "its client was fenced (blocklisted), so it "
                    + "cannot complete the reset later; it is released once an MDS answers again");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof FileSystemException) {
                throw (FileSystemException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephFileSystemException("ceph_start_reclaim", -Errno.EINTR.code(), "uuid " + uuid, null,
                    "ceph_start_reclaim: EINTR (interrupted while waiting for the reset)");
        }
    }

    private int reclaim(String uuid, byte[] u, int flags, boolean warmUp) throws FileSystemException {
        enter(State.INITIALIZED, "ceph_start_reclaim");
        track("ceph_start_reclaim", "uuid " + uuid);
        try {
            if (reclaimUsed) {
                // Ceph 16.2.15: after one reset, ceph_start_reclaim on the same client answers 0 for any uuid, even
                // one no session has (measured), so a second answer could not be trusted
                throw new IllegalStateException("ceph_start_reclaim: this client already started a reclaim (of "
                        + "another uuid); use a new client for each uuid, libcephfs's answers to a second one are wrong");
            }
            reclaimUsed = true;
            int rc = LibCephFs.ceph_start_reclaim(cmount, u, flags);
            if (rc == -Errno.ENOENT.code()) {
                if (warmUp) {
                    LibCephFs.ceph_finish_reclaim(cmount); // clears the reclaim state: the one true reset can follow
                    reclaimUsed = false;
                }
                return rc;
            }
            check(rc, "ceph_start_reclaim", "uuid " + uuid);
            reclaiming = true;
            return rc;
        } finally {
            exit();
        }
    }

    /** Runs watched resets (see {@link #startReclaim}); daemon threads, made on demand, gone when idle. */
    private static final java.util.concurrent.ExecutorService RECLAIMS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "cephfs-jca-reclaim");
                t.setDaemon(true);
                return t;
            });

    /** {@code ceph_finish_reclaim}: ends a reclaim started with {@link #startReclaim}; no-op if none. */
    public void finishReclaim() {
        enter(State.INITIALIZED, "ceph_finish_reclaim");
        try {
            if (reclaiming) {
                LibCephFs.ceph_finish_reclaim(cmount);
                reclaiming = false;
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Resets (discards) the session another client left behind with {@code uuid}: start + finish reclaim with
     * {@link #RECLAIM_RESET}. Returns true if a session was reset, false if none had the uuid.
     */
    public boolean resetSession(String uuid) throws FileSystemException {
        int rc = startReclaim(uuid, RECLAIM_RESET);
        finishReclaim();
        return rc == 0;
    }

    /**
     * {@code ceph_set_uuid}: the identity of the session {@link #mount} opens, so that a later incarnation can
     * reset it. libcephfs aborts the whole process on an empty uuid: this method refuses it first.
     */
    public void setUuid(String uuid) {
        byte[] u = CString.of("uuid", validateUuid(uuid), MAX_UUID_LENGTH);
        enter(State.INITIALIZED, "ceph_set_uuid");
        try {
            LibCephFs.ceph_set_uuid(cmount, u);
            this.uuid = uuid;
        } finally {
            guard.exit();
        }
    }

    /** Checks a session uuid: 1-128 characters of {@code [A-Za-z0-9._:@+-]}. Returns it. */
    public static String validateUuid(String uuid) {
        if (uuid == null || uuid.isEmpty()) {
            throw new IllegalArgumentException("uuid must not be empty (libcephfs aborts the process on an empty uuid)");
        }
        if (uuid.length() > MAX_UUID_LENGTH) {
            throw new IllegalArgumentException("uuid is " + uuid.length() + " characters; the limit is "
                    + MAX_UUID_LENGTH + ": " + CString.printable(uuid.substring(0, 64)) + "...");
        }
        if (!UUID_CHARS.matcher(uuid).matches()) {
            throw new IllegalArgumentException("uuid may only contain [A-Za-z0-9._:@+-]: '"
                    + CString.printable(uuid) + "'");
        }
        return uuid;
    }

    // ---------------------------------------------------------------- mount

    /** {@code ceph_mount}: opens the MDS session; {@code root} is the directory to treat as "/". */
    public void mount(String root) throws FileSystemException {
        byte[] r = CString.path("mount root", root == null ? "/" : root);
        guard.enter();
        try {
            State s = state;
            if (s != State.CREATED && s != State.INITIALIZED) {
                throw new IllegalStateException("ceph_mount: " + describe() + " is " + s.name().toLowerCase()
                        + "; a mount handle mounts once");
            }
            if (reclaiming) {
                throw new IllegalStateException("ceph_mount: call finishReclaim() before mounting");
            }
            int rc = LibCephFs.ceph_mount(cmount, r);
            check(rc, "ceph_mount", (root == null ? "/" : root) + (uuid == null ? "" : " (uuid " + uuid + ")"));
            state = State.MOUNTED;
        } finally {
            guard.exit();
        }
    }

    public boolean isMounted() {
        return state == State.MOUNTED && !guard.isClosed();
    }

    /** The uuid set with {@link #setUuid}, or null. */
    public String uuid() {
        return uuid;
    }

    /** The cephx id this client authenticates as (without {@code client.}). */
    public String cephxId() {
        return cephxId;
    }

    /** {@code ceph_get_fs_cid}: the id of the mounted file system. */
    public long fileSystemId() throws FileSystemException {
        enterMounted("ceph_get_fs_cid", "/");
        try {
            return check(LibCephFs.ceph_get_fs_cid(cmount), "ceph_get_fs_cid", "/");
        } finally {
            exit();
        }
    }

    /**
     * {@code ceph_get_stripe_unit_granularity}: the smallest stripe unit a file layout may have. libcephfs only checks
     * that the client is mounted, so it is also what one guarded native call costs (the benchmark's {@code noop}).
     */
    public int stripeUnitGranularity() throws FileSystemException {
        enterMounted("ceph_get_stripe_unit_granularity", "/");
        try {
            return check(LibCephFs.ceph_get_stripe_unit_granularity(cmount), "ceph_get_stripe_unit_granularity", "/");
        } finally {
            exit();
        }
    }

    /**
     * {@code ceph_unmount}: closes the MDS session (all files opened through it are closed by libcephfs).
     * Waits up to 30 s for calls in flight on other threads; new calls fail meanwhile.
     */
    public void unmount() throws FileSystemException {
        int[] rc = {0};
        guard.drain(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> {
            if (state != State.MOUNTED) {
                throw new IllegalStateException("ceph_unmount: " + describe() + " is not mounted");
            }
            rc[0] = LibCephFs.ceph_unmount(cmount);
            state = State.UNMOUNTED;
        });
        check(rc[0], "ceph_unmount", describe());
    }

    /**
     * Unmounts if mounted, then {@code ceph_release}s the handle. Idempotent, never blocks, safe from any
     * thread: if calls are in flight the release happens when the last one returns.
     */
    @Override
    public void close() {
        guard.close();
    }

    /** True once {@link #close} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    private void free() {
        // only NativeGuard calls this, once, with no call in flight
        if (fenced != null) {
            // the last call out of a fenced session is often a request thread that just got its timeout: the unmount
            // (up to a client tick, ~1 s) must not delay its exception
            Thread t = new Thread(this::release, "cephfs-jca-release-fenced");
            t.setDaemon(true);
            t.start();
            return;
        }
        release();
    }

    private void release() {
        if (state == State.MOUNTED) {
            if (!unmountBounded()) {
                // ceph_release of a client still inside ceph_unmount would free what that thread uses: leave the
                // handle (counted in NativeHandles) and the session (the MDS times it out); the caller goes on
                runAfterRelease();
                return;
            }
            state = State.UNMOUNTED;
        }
        LibCephFs.ceph_release(cmount);
        NativeHandles.MOUNTS.decrementAndGet();
        released = true;
        runAfterRelease();
    }

    private void runAfterRelease() {
        Runnable r = afterRelease.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }

    /**
     * ceph_unmount on a thread of its own, waited for at most {@value #UNMOUNT_BOUND_SECONDS} s. libcephfs 16.2.15's
     * unmount waits until its inode cache is empty, and a handle libcephfs itself leaked keeps an inode open forever
     * (found by the 40k-operation randomized run: "cache still has 0+1 items, waiting", a directory left open read-write
     * after failed opens), so the thread that closes a session, a request thread or the adapter's stop, would never
     * come back. True if the unmount returned.
     */
    private boolean unmountBounded() {
        java.util.concurrent.FutureTask<Integer> unmount = new java.util.concurrent.FutureTask<>(
                () -> LibCephFs.ceph_unmount(cmount));
        Thread t = new Thread(unmount, "cephfs-jca-unmount");
        t.setDaemon(true);
        t.start();
        try {
            unmount.get(UNMOUNT_BOUND_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            java.util.logging.Logger.getLogger(CephMount.class.getName()).warning(() -> "cephfs-jca: ceph_unmount of "
                    + this + " did not return within " + UNMOUNT_BOUND_SECONDS + " s (libcephfs waits for an inode it "
                    + "holds open itself); the client is left to the MDS to time out, its native handle is not released");
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // a native call does not throw; nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final int UNMOUNT_BOUND_SECONDS = 30;

    /**
     * Runs {@code action} once the native handle has been released (after {@link #close()} and the last call in
     * flight); at once if it already was. Used to free a session's uuid slot only when the session is really gone.
     */
    public void whenReleased(Runnable action) {
        afterRelease.set(action);
        if (released) {
            Runnable r = afterRelease.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    // ---------------------------------------------------------------- paths

    /** {@code ceph_statx}: attributes of {@code path}, following a final symlink when {@code follow}. */
    public FileAttributes stat(String path, boolean follow) throws FileSystemException {
        long p = CString.pathAddress("path", path);
        ByteBuffer stx = DirectBuffers.scratch();
        enterMounted("ceph_statx", path);
        try {
            check(LibCephFs.ceph_statx(cmount, p, DirectBuffers.address(stx), STATX_WANT,
                    follow ? 0 : AT_SYMLINK_NOFOLLOW), "ceph_statx", path);
        } finally {
            exit();
        }
        return Statx.decode(stx);
    }

    public FileAttributes stat(String path) throws FileSystemException {
        return stat(path, true);
    }

    /** True if {@code path} exists (follows symlinks); other errors than ENOENT propagate. */
    public boolean exists(String path) throws FileSystemException {
        try {
            stat(path, true);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    public void mkdir(String path, int mode) throws FileSystemException {
        byte[] p = CString.path("path", path);
        enterMounted("ceph_mkdir", path);
        try {
            check(LibCephFs.ceph_mkdir(cmount, p, checkMode(mode)), "ceph_mkdir", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_mkdirs}: creates missing parents too; an existing directory is not an error. */
    public void mkdirs(String path, int mode) throws FileSystemException {
        byte[] p = CString.path("path", path);
        enterMounted("ceph_mkdirs", path);
        try {
            int rc = LibCephFs.ceph_mkdirs(cmount, p, checkMode(mode));
            if (rc == -Errno.EEXIST.code() && stat(path, true).isDirectory()) {
                return;
            }
            check(rc, "ceph_mkdirs", path);
        } finally {
            exit();
        }
    }

    public void rmdir(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        enterMounted("ceph_rmdir", path);
        try {
            check(LibCephFs.ceph_rmdir(cmount, p), "ceph_rmdir", path);
        } finally {
            exit();
        }
    }

    public void unlink(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        enterMounted("ceph_unlink", path);
        try {
            check(LibCephFs.ceph_unlink(cmount, p), "ceph_unlink", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_rename}: atomically replaces {@code to} if it exists (POSIX rename). */
    public void rename(String from, String to) throws FileSystemException {
        byte[] f = CString.path("source path", from);
        byte[] t = CString.path("target path", to);
        enterMounted("ceph_rename", from);
        try {
            // libcephfs 16.2.15 marks the target name "renaming" before it looks the source up and leaves the mark
            // when that lookup fails: every later lookup of the target name in this client then waits forever. So
            // a missing source is found here first (a source removed by someone else in between still can).
            ByteBuffer stx = DirectBuffers.scratch();
            int found = LibCephFs.ceph_statx(cmount, f, DirectBuffers.address(stx), STATX_MODE, AT_SYMLINK_NOFOLLOW);
            if (found < 0) {
                check(found, "ceph_rename", from, to);
            }
            check(LibCephFs.ceph_rename(cmount, f, t), "ceph_rename", from, to);
        } finally {
            exit();
        }
    }

    /** {@code ceph_link}: a new hard link {@code newName} to {@code existing}. */
    public void link(String existing, String newName) throws FileSystemException {
        byte[] e = CString.path("existing path", existing);
        byte[] n = CString.path("link path", newName);
        enterMounted("ceph_link", newName);
        try {
            check(LibCephFs.ceph_link(cmount, e, n), "ceph_link", newName, existing);
        } finally {
            exit();
        }
    }

    /** {@code ceph_symlink}: a symbolic link {@code linkPath} whose content is {@code target}. */
    public void symlink(String target, String linkPath) throws FileSystemException {
        byte[] t = CString.path("link target", target);
        byte[] l = CString.path("link path", linkPath);
        enterMounted("ceph_symlink", linkPath);
        try {
            check(LibCephFs.ceph_symlink(cmount, t, l), "ceph_symlink", linkPath, target);
        } finally {
            exit();
        }
    }

    public String readlink(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        byte[] buf = new byte[CString.PATH_MAX];
        int n;
        enterMounted("ceph_readlink", path);
        try {
            n = check(LibCephFs.ceph_readlink(cmount, p, buf, buf.length), "ceph_readlink", path);
        } finally {
            exit();
        }
        return CString.decode(buf, 0, Math.min(n, buf.length));
    }

    public void chmod(String path, int mode) throws FileSystemException {
        byte[] p = CString.path("path", path);
        enterMounted("ceph_chmod", path);
        try {
            check(LibCephFs.ceph_chmod(cmount, p, checkMode(mode)), "ceph_chmod", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_chown}; -1 leaves uid or gid unchanged. */
    public void chown(String path, int uid, int gid) throws FileSystemException {
        if (uid < -1 || gid < -1) {
            throw new IllegalArgumentException("uid and gid must be >= -1: " + uid + ", " + gid);
        }
        byte[] p = CString.path("path", path);
        enterMounted("ceph_chown", path);
        try {
            check(LibCephFs.ceph_chown(cmount, p, uid, gid), "ceph_chown", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_get_path_pool_name}: the data pool of the file (or directory layout) at {@code path}. */
    public String poolName(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        byte[] buf = new byte[256];
        enterMounted("ceph_get_path_pool_name", path);
        try {
            int rc = LibCephFs.ceph_get_path_pool_name(cmount, p, buf, buf.length);
            check(rc, "ceph_get_path_pool_name", path);
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            return new String(buf, 0, Math.min(n, rc > 0 ? rc : n), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            exit();
        }
    }

    /** The RADOS object holding the first bytes of the file with inode {@code inode} (CephFS names them so). */
    public static String firstObjectOf(long inode) {
        return Long.toHexString(inode) + ".00000000";
    }

    /** {@code ceph_utimes}: sets access and modification times (microsecond precision). */
    public void setTimes(String path, long accessNanos, long modifyNanos) throws FileSystemException {
        byte[] p = CString.path("path", path);
        long[] tv = {
            Math.floorDiv(accessNanos, 1_000_000_000L), Math.floorMod(accessNanos, 1_000_000_000L) / 1000,
            Math.floorDiv(modifyNanos, 1_000_000_000L), Math.floorMod(modifyNanos, 1_000_000_000L) / 1000,
        };
        enterMounted("ceph_utimes", path);
        try {
            check(LibCephFs.ceph_utimes(cmount, p, tv), "ceph_utimes", path);
        } finally {
            exit();
        }
    }

    public void truncate(String path, long size) throws FileSystemException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        byte[] p = CString.path("path", path);
        enterMounted("ceph_truncate", path);
        try {
            check(LibCephFs.ceph_truncate(cmount, p, size), "ceph_truncate", path);
        } finally {
            exit();
        }
    }

    /** {@code ceph_statfs}: capacity as seen from {@code path}. */
    public FileSystemStats statfs(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        ByteBuffer b = DirectBuffers.scratch();
        enterMounted("ceph_statfs", path);
        try {
            check(LibCephFs.ceph_statfs(cmount, p, DirectBuffers.address(b)), "ceph_statfs", path);
        } finally {
            exit();
        }
        // struct statvfs on x86_64: 11 unsigned longs (f_bsize .. f_namemax), see StructLayoutTest
        return new FileSystemStats(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32),
                b.getLong(40), b.getLong(48), b.getLong(80));
    }

    /** {@code ceph_sync_fs}: flushes everything this client has buffered. */
    public void syncFs() throws FileSystemException {
        enterMounted("ceph_sync_fs", "/");
        try {
            check(LibCephFs.ceph_sync_fs(cmount), "ceph_sync_fs", "/");
        } finally {
            exit();
        }
    }

    // ---------------------------------------------------------------- files and directories

    /**
     * {@code ceph_open}. {@code flags} are Linux {@code O_*} values ({@link OpenFlags}); {@code mode} applies when
     * the file is created.
     */
    public CephFile open(String path, int flags, int mode) throws FileSystemException {
        long p = CString.pathAddress("path", path);
        enterMounted("ceph_open", path);
        try {
            int fd = check(LibCephFs.ceph_open(cmount, p, flags, checkMode(mode)), "ceph_open", path);
            return new CephFile(this, fd, path, isDirectory(fd));
        } finally {
            exit();
        }
    }

    /**
     * Whether an fd just opened is a directory. ceph_open(O_RDONLY) succeeds on a directory, and a ceph_read on that
     * fd then waits forever for Fr caps the MDS never grants on a directory (measured on 16.2.15: the thread hung,
     * with no MDS request in flight, and the unreturned call kept its session from being unmounted). The type of an
     * inode never changes, so the cached mode (AT_STATX_DONT_SYNC, no MDS round trip) is enough. Caller holds the
     * guard.
     */
    private boolean isDirectory(int fd) {
        ByteBuffer stx = DirectBuffers.scratch();
        int rc = LibCephFs.ceph_fstatx(cmount, fd, DirectBuffers.address(stx), STATX_MODE, AT_STATX_DONT_SYNC);
        if (rc < 0) {
            return false; // no verdict: data calls go ahead, as before
        }
        return (stx.getShort(Statx.MODE) & S_IFMT) == S_IFDIR;
    }

    /** {@code ceph_opendir}: a directory stream; close it (try-with-resources). */
    public CephDirectory openDirectory(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        long[] dirp = new long[1];
        enterMounted("ceph_opendir", path);
        try {
            check(LibCephFs.ceph_opendir(cmount, p, dirp), "ceph_opendir", path);
            return new CephDirectory(this, dirp[0], path);
        } finally {
            exit();
        }
    }

    /** All entries of a directory except {@code .} and {@code ..}. */
    public List<DirEntry> list(String path) throws IOException {
        List<DirEntry> entries = new ArrayList<>();
        try (CephDirectory dir = openDirectory(path)) {
            dir.readAll(entries);
        }
        return entries;
    }

    // ---------------------------------------------------------------- xattrs

    /** {@code ceph_getxattr}: the value of an extended attribute (e.g. {@code ceph.quota.max_bytes}). */
    public byte[] getXattr(String path, String name) throws FileSystemException {
        byte[] p = CString.path("path", path);
        byte[] n = CString.xattrName(name);
        enterMounted("ceph_getxattr", path);
        try {
            for (int attempt = 0; ; attempt++) {
                int size = check(LibCephFs.ceph_getxattr(cmount, p, n, null, 0), "ceph_getxattr", path, name);
                byte[] value = new byte[size];
                int rc = LibCephFs.ceph_getxattr(cmount, p, n, value, size);
                if (rc == -Errno.ERANGE.code() && attempt < 3) {
                    continue; // grew between the two calls
                }
                check(rc, "ceph_getxattr", path, name);
                return rc == size ? value : java.util.Arrays.copyOf(value, rc);
            }
        } finally {
            exit();
        }
    }

    /** {@code ceph_setxattr}; {@code flags} 0, {@link #XATTR_CREATE} or {@link #XATTR_REPLACE}. */
    public void setXattr(String path, String name, byte[] value, int flags) throws FileSystemException {
        if (value == null) {
            throw new IllegalArgumentException("xattr value is null");
        }
        if (value.length > 64 * 1024) {
            throw new IllegalArgumentException("xattr value is " + value.length + " bytes; the limit is 65536");
        }
        if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) {
            throw new IllegalArgumentException("xattr flags must be 0, XATTR_CREATE or XATTR_REPLACE: " + flags);
        }
        byte[] p = CString.path("path", path);
        byte[] n = CString.xattrName(name);
        enterMounted("ceph_setxattr", path);
        try {
            check(LibCephFs.ceph_setxattr(cmount, p, n, value, value.length, flags), "ceph_setxattr", path, name);
        } finally {
            exit();
        }
    }

    public void setXattr(String path, String name, String value) throws FileSystemException {
        setXattr(path, name, value.getBytes(StandardCharsets.UTF_8), 0);
    }

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    /** {@code ceph_listxattr}: names of the extended attributes of {@code path}. */
    public List<String> listXattrs(String path) throws FileSystemException {
        byte[] p = CString.path("path", path);
        byte[] buf;
        int len;
        enterMounted("ceph_listxattr", path);
        try {
            for (int attempt = 0; ; attempt++) {
                int size = check(LibCephFs.ceph_listxattr(cmount, p, null, 0), "ceph_listxattr", path);
                buf = new byte[Math.max(size, 1)];
                len = LibCephFs.ceph_listxattr(cmount, p, buf, size);
                if (len == -Errno.ERANGE.code() && attempt < 3) {
                    continue;
                }
                check(len, "ceph_listxattr", path);
                break;
            }
        } finally {
            exit();
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    names.add(CString.decode(buf, start, i - start));
                }
                start = i + 1;
            }
        }
        return names;
    }

    public void removeXattr(String path, String name) throws FileSystemException {
        byte[] p = CString.path("path", path);
        byte[] n = CString.xattrName(name);
        enterMounted("ceph_removexattr", path);
        try {
            check(LibCephFs.ceph_removexattr(cmount, p, n), "ceph_removexattr", path, name);
        } finally {
            exit();
        }
    }

    // ---------------------------------------------------------------- guard plumbing for this package

    /**
     * Enters the guard for a file-system call on {@code subject}; requires MOUNTED and not fenced. Caller must
     * {@link #exit()}. On a watched mount the call is tracked ({@link CallWatch}).
     */
    void enterMounted(String call, String subject) throws FileSystemException {
        enterMounted(call, subject, true);
    }

    /** As {@link #enterMounted(String, String)}; {@code gated} false skips the {@link #gate} (releasing a lock). */
    void enterMounted(String call, String subject, boolean gated) throws FileSystemException {
        String fencedFirst = fenced;
        if (fencedFirst != null) {
            // before the guard: a fenced session may be closed already, and its callers should learn why
            throw new CephFileSystemException(call, -Errno.ESHUTDOWN.code(), subject, null, call
                    + ": ESHUTDOWN (this session was fenced: " + fencedFirst + ")");
        }
        CallGate g = gated ? gate : null;
        if (g != null) {
            g.admit(call, subject); // before the guard: a gate that waits must not hold up an unmount
        }
        guard.enter();
        if (state != State.MOUNTED) {
            guard.exit();
            throw new IllegalStateException(call + ": " + describe() + " is not mounted (" + state.name().toLowerCase()
                    + ")");
        }
        String why = fenced;
        if (why != null) {
            guard.exit();
            throw new CephFileSystemException(call, -Errno.ESHUTDOWN.code(), subject, null, call
                    + ": ESHUTDOWN (this session was fenced: " + why + ")");
        }
        track(call, subject);
    }

    /** Tracks the call this thread just entered, if the mount is watched. */
    private void track(String call, String subject) {
        if (watcher != null) {
            CallWatch.begin(this, call, subject);
        }
    }

    /**
     * Enters only if the mount is open and mounted, else returns false; not tracked, leave with
     * {@link #exitUntracked()}. Used to close files and directories: after an unmount libcephfs has closed them
     * itself, and their handles must not reach C again.
     */
    boolean tryEnterMounted() {
        try {
            guard.enter();
        } catch (IllegalStateException e) {
            return false;
        }
        if (state != State.MOUNTED) {
            guard.exit();
            return false;
        }
        return true;
    }

    /** Leaves a call entered with {@link #enterMounted}. */
    void exit() {
        if (everWatched) {
            CallWatch.end(this);
        }
        guard.exit();
    }

    /** Leaves a call entered with {@link #tryEnterMounted()}. */
    void exitUntracked() {
        guard.exit();
    }

    /** Enters a call on a file or directory of this mount: the mount first, then the child's own guard. */
    void enter(String call, String subject, NativeGuard child) throws FileSystemException {
        enter(call, subject, child, true);
    }

    /** As {@link #enter(String, String, NativeGuard)}; {@code gated} false skips the {@link #gate}. */
    void enter(String call, String subject, NativeGuard child, boolean gated) throws FileSystemException {
        enterMounted(call, subject, gated);
        try {
            child.enter();
        } catch (IllegalStateException e) {
            exit();
            throw e;
        }
    }

    /** Leaves a call entered with {@link #enter(String, String, NativeGuard)}. */
    void exit(NativeGuard child) {
        child.exit();
        exit();
    }

    // ---------------------------------------------------------------- watchdog support

    /**
     * Has {@code w} watch this mount's calls from now on ({@link CallWatch}); null stops watching (calls in flight
     * stay tracked until they return).
     */
    public void watch(CallWatch.Watcher w) {
        if (w != null) {
            everWatched = true;
        }
        watcher = w;
    }

    /**
     * Every later file-system call on this mount (and its files and directories) asks {@code g} first; null admits
     * all. Closing files, releasing locks on close and unmounting are not gated.
     */
    public void gate(CallGate g) {
        gate = g;
    }

    /** Who watches this mount, or null. */
    public CallWatch.Watcher watcher() {
        return watcher;
    }

    /**
     * Marks the session fenced: every later call fails at once with ESHUTDOWN naming {@code reason} (the client is
     * being blocklisted, so it could only hang or fail). True for the first caller.
     */
    public boolean markFenced(String reason) {
        synchronized (this) {
            if (fenced != null) {
                return false;
            }
            fenced = reason;
            return true;
        }
    }

    /** Why this session was fenced, or null. */
    public String fencedReason() {
        return fenced;
    }

    /**
     * {@code ceph_getaddrs}: the client's own addresses as the cluster sees them ({@code ip:port/nonce}), the ones a
     * blocklist names; empty before the client has learned them (just after {@code ceph_init}).
     */
    public List<String> addresses() {
        try {
            guard.enter();
        } catch (IllegalStateException e) {
            return List.of();
        }
        String text;
        try {
            if (state == State.CREATED) {
                return List.of();
            }
            long[] out = new long[1];
            int rc = LibCephFs.ceph_getaddrs(cmount, out);
            if (rc < 0 || out[0] == 0) {
                return List.of();
            }
            try {
                text = new Pointer(out[0]).getString(0, "UTF-8");
            } finally {
                com.sun.jna.Native.free(out[0]);
            }
        } finally {
            guard.exit();
        }
        return parseAddresses(text);
    }

    /** {@code [v2:1.2.3.4:0/123,v1:1.2.3.4:0/123]} or {@code 1.2.3.4:0/123} to {@code [1.2.3.4:0/123]}. */
    static List<String> parseAddresses(String text) {
        List<String> out = new ArrayList<>();
        String t = text == null ? "" : text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        for (String part : t.split(",")) {
            String a = part.trim();
            if (a.startsWith("v2:") || a.startsWith("v1:") || a.startsWith("any:")) {
                a = a.substring(a.indexOf(':') + 1);
            }
            if (!a.isEmpty() && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Makes a blocklisted client find out that it is: asks the monitors for the newest OSD map, and the client, on
     * seeing itself blocklisted in it, fails every call waiting for an MDS (EBLOCKLISTED). Needed when no MDS is
     * there to tell it (an MDS that evicts a client resets its connection, which also makes it ask). libcephfs has no
     * call for this; {@code ceph_setxattr} of a layout pool that does not exist makes the client wait for the latest
     * OSD map before it goes on (Client::_setxattr_maybe_wait_for_osdmap), and a blocklisted client then fails the
     * setxattr itself at once. Only for a mounted client; blocks while no monitor answers (call it on a thread of
     * its own). Returns the setxattr's result (-108 once blocklisted), or 1 if not mounted.
     */
    public int requestOsdMap() {
        try {
            guard.enter();
        } catch (IllegalStateException e) {
            return 1;
        }
        try {
            if (state != State.MOUNTED) {
                return 1;
            }
            byte[] value = ("cephfs-jca-no-such-pool-" + Long.toHexString(System.nanoTime()))
                    .getBytes(StandardCharsets.US_ASCII);
            return LibCephFs.ceph_setxattr(cmount, CString.path("path", "/"),
                    CString.xattrName("ceph.dir.layout.pool"), value, value.length, 0);
        } finally {
            guard.exit();
        }
    }

    /** Calls in flight on this mount now (diagnostics, tests). */
    public long callsInFlight() {
        return guard.inFlight();
    }

    long handle() {
        return cmount;
    }

    private void enter(State required, String call) {
        guard.enter();
        if (state != required) {
            guard.exit();
            throw new IllegalStateException(call + " needs the mount " + required.name().toLowerCase() + " but "
                    + describe() + " is " + state.name().toLowerCase());
        }
    }

    private void enterConfigurable(String call) {
        rejectSharedContext(call);
        guard.enter();
        State s = state;
        if (s != State.CREATED && s != State.INITIALIZED) {
            guard.exit();
            throw new IllegalStateException(call + " must come before mount; " + describe() + " is "
                    + s.name().toLowerCase());
        }
    }

    private void rejectSharedContext(String call) {
        if (sharedContext) {
            throw new IllegalStateException(call + ": " + describe() + " shares another client's CephContext, whose "
                    + "configuration it must not change");
        }
    }

    private static int checkMode(int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be permission bits only (0..07777): 0" +
                    Integer.toOctalString(mode));
        }
        return mode;
    }

    private String describe() {
        return "mount of client." + cephxId + (uuid == null ? "" : " (uuid " + uuid + ")");
    }

    @Override
    public String toString() {
        return "CephMount[client." + cephxId + (uuid == null ? "" : ", uuid=" + uuid) + ", "
                + (guard.isClosed() ? "closed" : state.name().toLowerCase()) + "]";
    }

    static void keepAlive(Object o) {
        Reference.reachabilityFence(o);
    }
}
