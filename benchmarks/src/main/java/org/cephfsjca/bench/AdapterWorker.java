package org.cephfsjca.bench;

import java.nio.ByteBuffer;
import java.nio.file.StandardOpenOption;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/**
 * (d) the adapter through its non-managed connection factory (its own small pool): one {@link CephConnection} per
 * thread, held for the whole run, used as an application would: {@code stat}, {@code write(path, byte[])},
 * {@code openChannel} with direct buffers for positional and sequential I/O, {@code tryLock}, {@code list}.
 */
final class AdapterWorker implements Worker {

    private final CephConnectionFactory factory;
    private final byte[] data = new byte[4096];
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20);
    private final ByteBuffer small = ByteBuffer.allocateDirect(4096);
    private CephConnection connection;
    private Paths paths;
    private CephFileChannel readChannel;
    private org.cephfsjca.libcephfs.CephMount session;

    AdapterWorker(CephConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void setup(Paths p) throws Exception {
        this.paths = p;
        connection = factory.getConnection();
        session = ((org.cephfsjca.adapter.fs.MountedConnection) connection).mount();
        connection.mkdirs(p.dir() + "/create");
        connection.write(p.statFile(), new byte[READ_FILE_SIZE], StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        connection.write(p.lockFile(), data, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        readChannel = connection.openChannel(p.statFile());
        for (long off = 0; off < READ_FILE_SIZE; off += 4096) {
            read4k(off);
        }
    }

    /**
     * The binding's guarded call on the adapter's pooled session, whose mount is watched (operation timeout) and
     * gated (fencing): the difference to (c) is what the guards, the watch and the gate cost per native call.
     */
    @Override
    public int noop() throws Exception {
        return session.stripeUnitGranularity();
    }

    @Override
    public void create(String path) throws Exception {
        connection.write(path, data); // CREATE, TRUNCATE_EXISTING, WRITE
    }

    @Override
    public void stat() throws Exception {
        connection.stat(paths.statFile());
    }

    @Override
    public void read4k(long offset) throws Exception {
        small.clear();
        if (readChannel.read(small, offset) != 4096) {
            throw new IllegalStateException("short read");
        }
    }

    @Override
    public void lock() throws Exception {
        CephLock lock = connection.tryLock(paths.lockFile(), LockMode.EXCLUSIVE)
                .orElseThrow(() -> new IllegalStateException("lock not granted"));
        lock.close();
    }

    @Override
    public int list() throws Exception {
        return connection.list(paths.listDir()).size();
    }

    @Override
    public void seqWrite(int bufferSize, long bytes) throws Exception {
        try (CephFileChannel ch = connection.openChannel(paths.seqFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            for (long off = 0; off < bytes; off += bufferSize) {
                buf.clear().limit(bufferSize);
                if (ch.write(buf, off) != bufferSize) {
                    throw new IllegalStateException("short write");
                }
            }
            ch.force(true);
        }
    }

    @Override
    public void seqRead(int bufferSize, long bytes) throws Exception {
        try (CephFileChannel ch = connection.openChannel(paths.seqFile())) {
            for (long off = 0; off < bytes; off += bufferSize) {
                buf.clear().limit(bufferSize);
                if (ch.read(buf, off) != bufferSize) {
                    throw new IllegalStateException("short read");
                }
            }
        }
    }

    @Override
    public String option(String name) throws Exception {
        // the pooled session's own client: what the adapter configured, cephOptions included
        return ((org.cephfsjca.adapter.fs.MountedConnection) connection).mount().getOption(name);
    }

    @Override
    public void close() throws Exception {
        if (readChannel != null) {
            readChannel.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
