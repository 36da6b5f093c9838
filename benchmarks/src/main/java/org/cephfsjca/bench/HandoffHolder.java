package org.cephfsjca.bench;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * H, the side of a hand-off that wrote the files and keeps them open: the pattern (write, close, re-open O_RDONLY,
 * maybe flock, keep) that makes another libcephfs client's stat or open of the file wait for an MDS tick.
 */
interface HandoffHolder extends AutoCloseable {

    /** The size of every hand-off file. */
    int FILE_SIZE = 4096;

    /** Creates {@code dir} and its parents, as H (so no third client holds caps on it). */
    void prepare(String dir) throws Exception;

    /**
     * For each path: create, write {@link #FILE_SIZE} bytes, close; then re-open it O_RDONLY (with an exclusive flock
     * when {@code lock}) and keep it so until {@link #release()}.
     */
    void hold(List<String> paths, boolean lock) throws Exception;

    /** Unlocks and closes everything {@link #hold} opened. */
    void release() throws Exception;

    @Override
    void close() throws Exception;

    /** H through our binding: one mount (which may be shared with R), {@link CephFile} and {@code ceph_flock}. */
    final class Binding implements HandoffHolder {

        private static final long OWNER = 0x4800_0000L;
        private final CephMount mount;
        private final byte[] data = new byte[FILE_SIZE];
        private final List<CephFile> held = new ArrayList<>();
        private boolean locked;

        /** @param mount not closed by this holder */
        Binding(CephMount mount) {
            this.mount = mount;
        }

        @Override
        public void prepare(String dir) throws Exception {
            mount.mkdirs(dir, 0755);
        }

        @Override
        public void hold(List<String> paths, boolean lock) throws Exception {
            locked = lock;
            for (String p : paths) {
                try (CephFile w = mount.open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644)) {
                    if (w.write(data, 0, data.length, 0) != data.length) {
                        throw new IllegalStateException(p + ": short write");
                    }
                }
                CephFile f = mount.open(p, O_RDONLY, 0);
                held.add(f);
                if (lock && !f.lock(LockMode.EXCLUSIVE, false, OWNER)) {
                    throw new IllegalStateException(p + ": exclusive flock not granted");
                }
            }
        }

        @Override
        public void release() throws Exception {
            try {
                for (CephFile f : held) {
                    if (locked) {
                        f.unlock(OWNER);
                    }
                    f.close();
                }
            } finally {
                held.forEach(CephFile::close);
                held.clear();
            }
        }

        @Override
        public void close() throws Exception {
            release();
        }
    }

    /**
     * H through the adapter: one connection; {@code write}, then {@code newInputStream} (never read) or
     * {@code lock(path, EXCLUSIVE, timeout)}, which is how an application keeps a document open or checked out.
     */
    final class Adapter implements HandoffHolder {

        private final CephConnection connection;
        private final byte[] data = new byte[FILE_SIZE];
        private final List<AutoCloseable> held = new ArrayList<>();

        /** @param connection not closed by this holder */
        Adapter(CephConnection connection) {
            this.connection = connection;
        }

        @Override
        public void prepare(String dir) throws Exception {
            connection.mkdirs(dir);
        }

        @Override
        public void hold(List<String> paths, boolean lock) throws Exception {
            for (String p : paths) {
                connection.write(p, data); // create or truncate, write, close
                held.add(lock ? connection.lock(p, LockMode.EXCLUSIVE, Duration.ofSeconds(10))
                        : connection.newInputStream(p));
            }
        }

        @Override
        public void release() throws Exception {
            try {
                for (AutoCloseable c : held) {
                    c.close();
                }
            } finally {
                held.clear();
            }
        }

        @Override
        public void close() throws Exception {
            release();
        }
    }
}
