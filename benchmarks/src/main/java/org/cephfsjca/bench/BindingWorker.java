package org.cephfsjca.bench;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/** (c) our JNA binding used directly: {@link CephMount} / {@link CephFile} with direct {@link ByteBuffer}s. */
final class BindingWorker implements Worker {

    /**
     * The bare JNA direct-mapped entry point {@code LibCephFs.ceph_get_stripe_unit_granularity(long)}: JNA's floor,
     * with none of the binding's guards. The class is package-private (nothing outside the binding may call C
     * unguarded), so the benchmark reaches it by reflection; a constant handle is inlined by C2 into a plain call.
     */
    private static final MethodHandle RAW_NOOP;
    private static final Method HANDLE;

    static {
        try {
            Class<?> lib = Class.forName("org.cephfsjca.libcephfs.LibCephFs");
            Method m = lib.getDeclaredMethod("ceph_get_stripe_unit_granularity", long.class);
            m.setAccessible(true);
            RAW_NOOP = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(int.class, long.class));
            HANDLE = CephMount.class.getDeclaredMethod("handle");
            HANDLE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int index;
    private final java.util.Map<String, String> cephOptions;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20);
    private final ByteBuffer small = ByteBuffer.allocateDirect(4096);
    private CephMount mount;
    private Paths paths;
    private CephFile readFile;
    private long cmount;

    BindingWorker(int index, java.util.Map<String, String> cephOptions) {
        this.index = index;
        this.cephOptions = cephOptions;
    }

    @Override
    public void setup(Paths p) throws Exception {
        this.paths = p;
        mount = mount(cephOptions);
        cmount = (long) HANDLE.invoke(mount);
        mount.mkdirs(p.dir() + "/create", 0755);
        writeFile(p.statFile(), READ_FILE_SIZE);
        writeFile(p.lockFile(), 4096);
        readFile = mount.open(p.statFile(), O_RDONLY, 0);
        for (long off = 0; off < READ_FILE_SIZE; off += 4096) {
            read4k(off);
        }
    }

    /** A mounted client.admin configured by ceph.conf alone. */
    static CephMount mount() throws Exception {
        return mount(java.util.Map.of());
    }

    /** A mounted client.admin with {@code cephOptions} set after ceph.conf (so they win over it). */
    static CephMount mount(java.util.Map<String, String> cephOptions) throws Exception {
        CephMount m = CephMount.create("admin");
        try {
            m.readConfigFile(Env.conf());
            for (java.util.Map.Entry<String, String> o : cephOptions.entrySet()) {
                m.setOption(o.getKey(), o.getValue());
            }
            m.init();
            m.selectFileSystem(Env.fsName());
            m.mount("/");
            return m;
        } catch (Exception | Error e) {
            m.close();
            throw e;
        }
    }

    private void writeFile(String path, int size) throws Exception {
        try (CephFile f = mount.open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644)) {
            for (long off = 0; off < size; off += 4096) {
                small.clear();
                f.write(small, off);
            }
            f.fsync(false);
        }
    }

    @Override
    public int noop() throws Exception {
        try {
            return (int) RAW_NOOP.invokeExact(cmount); // valid: this worker closes the mount only in close()
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void create(String path) throws Exception {
        try (CephFile f = mount.open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644)) {
            small.clear();
            f.write(small, 0);
        }
    }

    @Override
    public void stat() throws Exception {
        mount.stat(paths.statFile());
    }

    @Override
    public void read4k(long offset) throws Exception {
        small.clear();
        if (readFile.read(small, offset) != 4096) {
            throw new IllegalStateException("short read");
        }
    }

    @Override
    public void lock() throws Exception {
        long owner = 0x10000 + index;
        try (CephFile f = mount.open(paths.lockFile(), O_RDONLY, 0)) {
            if (!f.lock(LockMode.EXCLUSIVE, false, owner)) {
                throw new IllegalStateException("lock not granted");
            }
            f.unlock(owner);
        }
    }

    @Override
    public int list() throws Exception {
        return mount.list(paths.listDir()).size();
    }

    @Override
    public void seqWrite(int bufferSize, long bytes) throws Exception {
        try (CephFile f = mount.open(paths.seqFile(), O_CREAT | O_WRONLY, 0644)) {
            for (long off = 0; off < bytes; off += bufferSize) {
                buf.clear().limit(bufferSize);
                if (f.write(buf, off) != bufferSize) {
                    throw new IllegalStateException("short write");
                }
            }
            f.fsync(false);
        }
    }

    @Override
    public void seqRead(int bufferSize, long bytes) throws Exception {
        try (CephFile f = mount.open(paths.seqFile(), O_RDONLY, 0)) {
            for (long off = 0; off < bytes; off += bufferSize) {
                buf.clear().limit(bufferSize);
                if (f.read(buf, off) != bufferSize) {
                    throw new IllegalStateException("short read");
                }
            }
        }
    }

    @Override
    public String option(String name) throws Exception {
        return mount.getOption(name);
    }

    @Override
    public void close() {
        if (readFile != null) {
            readFile.close();
        }
        if (mount != null) {
            mount.close(); // unmount + release
        }
    }
}
