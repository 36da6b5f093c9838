package org.cephfsjca.bench;

/**
 * One benchmark thread's client: its own mount (or pooled connection) and its own files. One implementation per JVM
 * ({@link DataPathMain} loads exactly one), so every call site in the measuring loop is monomorphic and inlined.
 *
 * <p>The operations are exactly those of the C floor ({@code src/main/c/cephbench.c}); see that file's header.
 */
interface Worker extends AutoCloseable {

    /** Mounts (or takes a connection), creates {@code dir} and {@code dir/create}, writes and caches the 1 MiB file. */
    void setup(Paths paths) throws Exception;

    /**
     * One trivial native call, {@code ceph_get_stripe_unit_granularity} (libcephfs only checks that the client is
     * mounted): what calling C costs by itself. Returns its result (the minimum stripe unit, > 0).
     */
    int noop() throws Exception;

    /** Calls of {@link #noop} per clock check, as in the C floor: the clock costs more than the call. */
    int NOOP_BATCH = 64;

    /** open(O_CREAT|O_WRONLY|O_TRUNC) + write 4 KiB at 0 + close. */
    void create(String path) throws Exception;

    /** statx of the existing 1 MiB file. */
    void stat() throws Exception;

    /** 4 KiB positional read of the cached 1 MiB file at {@code offset}. */
    void read4k(long offset) throws Exception;

    /** open(O_RDONLY) + flock(LOCK_EX|LOCK_NB) + flock(LOCK_UN) + close, on the thread's own lock file. */
    void lock() throws Exception;

    /** Lists the shared directory; returns the number of entries (without . and ..). */
    int list() throws Exception;

    /** Writes {@code bytes} sequentially with {@code bufferSize} buffers (no truncation), fsyncs, closes. */
    void seqWrite(int bufferSize, long bytes) throws Exception;

    /** Reads {@code bytes} sequentially with {@code bufferSize} buffers. */
    void seqRead(int bufferSize, long bytes) throws Exception;

    /** The value of a Ceph option as this worker's client reports it ({@code ceph_conf_get}). */
    String option(String name) throws Exception;

    /** Unmounts (or returns the connection). */
    @Override
    void close() throws Exception;

    /** The files of one thread. */
    record Paths(String dir, String statFile, String lockFile, String seqFile, String listDir) {
    }

    /** 1 MiB: the file that stat and read4k use. */
    int READ_FILE_SIZE = 1 << 20;
}
