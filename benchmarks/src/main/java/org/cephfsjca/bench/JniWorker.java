package org.cephfsjca.bench;

import com.ceph.fs.CephMount;
import com.ceph.fs.CephStat;

/**
 * (b) Ceph's own JNI binding, {@code com.ceph.fs.CephMount} from the Debian package libcephfs-java: byte arrays
 * (pinned or copied by the JVM in Get/ReleaseByteArrayElements), String paths (GetStringUTFChars).
 */
final class JniWorker implements Worker {

    private final int index;
    private final java.util.Map<String, String> cephOptions;
    private final byte[] buf = new byte[4 << 20];
    private final byte[] small = new byte[4096];
    private final CephStat stat = new CephStat();
    private CephMount mount;
    private Paths paths;
    private int readFd = -1;

    JniWorker(int index, java.util.Map<String, String> cephOptions) {
        this.index = index;
        this.cephOptions = cephOptions;
    }

    @Override
    public void setup(Paths p) throws Exception {
        this.paths = p;
        mount = new CephMount("admin");
        mount.conf_read_file(Env.conf());
        cephOptions.forEach(mount::conf_set);
        mount.conf_set("client_fs", Env.fsName()); // the JNI binding has no ceph_select_filesystem
        mount.mount("/");
        mount.mkdirs(p.dir() + "/create", 0755);
        writeFile(p.statFile(), READ_FILE_SIZE);
        writeFile(p.lockFile(), 4096);
        readFd = mount.open(p.statFile(), CephMount.O_RDONLY, 0);
        for (long off = 0; off < READ_FILE_SIZE; off += 4096) {
            read4k(off);
        }
    }

    private void writeFile(String path, int size) throws Exception {
        int fd = mount.open(path, CephMount.O_CREAT | CephMount.O_WRONLY | CephMount.O_TRUNC, 0644);
        try {
            for (long off = 0; off < size; off += 4096) {
                mount.write(fd, small, 4096, off);
            }
            mount.fsync(fd, false);
        } finally {
            mount.close(fd);
        }
    }

    @Override
    public int noop() {
        return mount.get_stripe_unit_granularity(); // JNI: checks mounted, then the libcephfs getter
    }

    @Override
    public void create(String path) throws Exception {
        int fd = mount.open(path, CephMount.O_CREAT | CephMount.O_WRONLY | CephMount.O_TRUNC, 0644);
        try {
            mount.write(fd, small, 4096, 0);
        } finally {
            mount.close(fd);
        }
    }

    @Override
    public void stat() throws Exception {
        mount.stat(paths.statFile(), stat);
    }

    @Override
    public void read4k(long offset) throws Exception {
        if (mount.read(readFd, small, 4096, offset) != 4096) {
            throw new IllegalStateException("short read");
        }
    }

    @Override
    public void lock() throws Exception {
        long owner = 0x10000 + index;
        int fd = mount.open(paths.lockFile(), CephMount.O_RDONLY, 0);
        try {
            mount.flock(fd, CephMount.LOCK_EX | CephMount.LOCK_NB, owner);
            mount.flock(fd, CephMount.LOCK_UN, owner);
        } finally {
            mount.close(fd);
        }
    }

    @Override
    public int list() throws Exception {
        return mount.listdir(paths.listDir()).length;
    }

    @Override
    public void seqWrite(int bufferSize, long bytes) throws Exception {
        int fd = mount.open(paths.seqFile(), CephMount.O_CREAT | CephMount.O_WRONLY, 0644);
        try {
            for (long off = 0; off < bytes; off += bufferSize) {
                if (mount.write(fd, buf, bufferSize, off) != bufferSize) {
                    throw new IllegalStateException("short write");
                }
            }
            mount.fsync(fd, false);
        } finally {
            mount.close(fd);
        }
    }

    @Override
    public void seqRead(int bufferSize, long bytes) throws Exception {
        int fd = mount.open(paths.seqFile(), CephMount.O_RDONLY, 0);
        try {
            for (long off = 0; off < bytes; off += bufferSize) {
                if (mount.read(fd, buf, bufferSize, off) != bufferSize) {
                    throw new IllegalStateException("short read");
                }
            }
        } finally {
            mount.close(fd);
        }
    }

    @Override
    public String option(String name) {
        return mount.conf_get(name);
    }

    @Override
    public void close() {
        if (mount != null) {
            if (readFd >= 0) {
                mount.close(readFd);
            }
            mount.unmount();
        }
    }
}
