package org.cephfsjca.bench;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * R in this process: one thread per file of the batch, released together, each timing its stat and then its
 * open+read. Started together, a batch that stalls waits for about one MDS tick in all, not one per file.
 */
final class BatchReader implements HandoffReader {

    /** What R does to one file, through one implementation. */
    interface Access {

        void stat(String path) throws Exception;

        /** Opens, reads to end of file, closes; returns the bytes read. */
        int readAll(String path) throws Exception;
    }

    private final Access access;

    BatchReader(Access access) {
        this.access = access;
    }

    /** R through our binding: {@code ceph_statx}, then open O_RDONLY + positional reads to EOF + close. */
    static Access binding(CephMount mount) {
        return new Access() {
            @Override
            public void stat(String path) throws Exception {
                mount.stat(path);
            }

            @Override
            public int readAll(String path) throws Exception {
                byte[] buf = new byte[2 * HandoffHolder.FILE_SIZE];
                int n = 0;
                try (CephFile f = mount.open(path, O_RDONLY, 0)) {
                    for (int r = f.read(buf, 0, buf.length, 0); r > 0; r = f.read(buf, n, buf.length - n, n)) {
                        n += r;
                        if (n == buf.length) {
                            break; // larger than written: the caller reports the size
                        }
                    }
                }
                return n;
            }
        };
    }

    /** R through the adapter: {@code stat}, then {@code readAllBytes}. */
    static Access adapter(CephConnection connection) {
        return new Access() {
            @Override
            public void stat(String path) throws Exception {
                connection.stat(path);
            }

            @Override
            public int readAll(String path) throws Exception {
                return connection.readAllBytes(path).length;
            }
        };
    }

    @Override
    public long[][] measure(List<String> paths) throws Exception {
        int n = paths.size();
        long[][] times = new long[n][];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            int idx = i;
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    String p = paths.get(idx);
                    long t0 = System.nanoTime();
                    access.stat(p);
                    long t1 = System.nanoTime();
                    int size = access.readAll(p);
                    long t2 = System.nanoTime();
                    if (size != HandoffHolder.FILE_SIZE) {
                        throw new IllegalStateException(p + ": read " + size + " bytes, expected "
                                + HandoffHolder.FILE_SIZE);
                    }
                    times[idx] = new long[] {t1 - t0, t2 - t1};
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "handoff-reader-" + i);
            t.setDaemon(true); // a call that never returns must not keep the JVM alive
            t.start();
        }
        ready.await();
        go.countDown();
        if (!done.await(HandoffBench.BATCH_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("R's stat + open+read of a batch of " + n + " files did not finish within "
                    + HandoffBench.BATCH_SECONDS + " s");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return times;
    }

    @Override
    public void close() {
        // the mount or connection belongs to whoever built this reader
    }
}
