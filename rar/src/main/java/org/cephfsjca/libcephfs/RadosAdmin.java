package org.cephfsjca.libcephfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.regex.Pattern;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/**
 * A librados cluster handle used for one thing: monitor commands, to blocklist a client of ours whose calls hang
 * (fencing). libcephfs has no call that reaches the monitors' command interface (its {@code ceph_mds_command} talks to
 * an MDS, which is exactly what is missing when calls hang); librados has ({@code rados_mon_command},
 * {@code rados_blocklist_add}), and Debian's libcephfs2 depends on librados2, so {@code librados.so.2} is there
 * wherever libcephfs is. Bound like {@link LibCephFs}, JNA direct mapping, a handful of entry points.
 *
 * <p>Thread-safe (librados is). {@link #close} shuts the handle down once; counted in {@link NativeHandles}.
 */
public final class RadosAdmin implements AutoCloseable {

    /** Blocklist entries match ip:port/nonce exactly; one with nonce 0 would fence every client of that ip. */
    private static final Pattern CLIENT_ADDR = Pattern.compile("[0-9A-Fa-f.:\\[\\]]+:\\d+/[1-9]\\d*");
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i).*(key|secret|password).*");

    static final class Lib {
        static {
            Native.register(Lib.class, NativeLibrary.getInstance(System.getProperty("cephfs.jca.rados.library",
                    "librados.so.2")));
        }

        private Lib() {
        }

        static native int rados_create2(long[] cluster, byte[] clusterName, byte[] name, long flags);

        static native int rados_conf_read_file(long cluster, byte[] path);

        static native int rados_conf_set(long cluster, byte[] option, byte[] value);

        static native int rados_connect(long cluster);

        static native void rados_shutdown(long cluster);

        static native int rados_mon_command(long cluster, long cmd, long cmdlen, byte[] inbuf, long inbuflen,
                                            long[] outbuf, long[] outbuflen, long[] outs, long[] outslen);

        static native void rados_buffer_free(long buf);

        static native int rados_blocklist_add(long cluster, byte[] clientAddress, int expireSeconds);

        static native int rados_getaddrs(long cluster, long[] addrs);

        static native int rados_ioctx_create(long cluster, byte[] poolName, long[] ioctx);

        static native void rados_ioctx_destroy(long ioctx);

        static native int rados_read(long ioctx, byte[] oid, byte[] buf, long len, long off);

        static native long rados_create_write_op();

        static native void rados_release_write_op(long op);

        static native void rados_write_op_create(long op, int exclusive, byte[] category);

        static native void rados_write_op_write_full(long op, byte[] buffer, long len);

        static native int rados_write_op_operate(long op, long ioctx, byte[] oid, long mtime, int flags);

        static native int rados_remove(long ioctx, byte[] oid);
    }

    private final long cluster;
    private final NativeGuard guard;
    private final String name;
    /** Pool contexts opened by {@link #read}, destroyed with the handle. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> pools = new java.util.concurrent.ConcurrentHashMap<>();

    private RadosAdmin(long cluster, String name) {
        this.cluster = cluster;
        this.name = name;
        this.guard = new NativeGuard("rados handle (" + name + ")", this::free);
        NativeHandles.RADOS.incrementAndGet();
    }

    /** {@code rados_create2} for {@code client.<cephxId>} (not connected yet). */
    public static RadosAdmin create(String cephxId) throws FileSystemException {
        String name = "client." + (cephxId == null ? "admin" : cephxId);
        long[] out = new long[1];
        int rc = Lib.rados_create2(out, CString.of("cluster name", "ceph", 64), CString.of("name", name, 140), 0);
        CephErrors.check(rc, "rados_create2", name);
        if (out[0] == 0) {
            throw new CephFileSystemException("rados_create2", Errno.ENOMEM.code(), name, null,
                    "rados_create2 returned no handle");
        }
        return new RadosAdmin(out[0], name);
    }

    public void readConfigFile(String path) throws FileSystemException {
        guard.enter();
        try {
            CephErrors.check(Lib.rados_conf_read_file(cluster, path == null ? null : CString.path("ceph.conf", path)),
                    "rados_conf_read_file", path == null ? "(default)" : path);
        } finally {
            guard.exit();
        }
    }

    /** {@code rados_conf_set}; values of secret options never appear in messages. */
    public void setOption(String option, String value) throws FileSystemException {
        boolean secret = SECRET_OPTION.matcher(option).matches();
        byte[] v = secret ? CString.secret("value of " + option, value, 64 * 1024)
                : CString.of("value of " + option, value, 64 * 1024);
        guard.enter();
        try {
            CephErrors.check(Lib.rados_conf_set(cluster, CString.of("option", option, 256), v), "rados_conf_set",
                    option + "=" + (secret ? "<redacted>" : value));
        } finally {
            guard.exit();
        }
    }

    /** {@code rados_connect}: authenticates with the monitors (bounded by client_mount_timeout). */
    public void connect() throws FileSystemException {
        guard.enter();
        try {
            CephErrors.check(Lib.rados_connect(cluster), "rados_connect", name);
        } finally {
            guard.exit();
        }
    }

    /** The answer of a monitor command: return code, output, status string. */
    public static final class MonReply {
        public final int rc;
        public final String out;
        public final String status;

        MonReply(int rc, String out, String status) {
            this.rc = rc;
            this.out = out;
            this.status = status;
        }

        @Override
        public String toString() {
            return rc + " " + status;
        }
    }

    /** {@code rados_mon_command} with one JSON command (bounded by rados_mon_op_timeout, if set). */
    public MonReply monCommand(String json) {
        byte[] cmd = (json + "\0").getBytes(StandardCharsets.UTF_8);
        Memory text = new Memory(cmd.length);
        text.write(0, cmd, 0, cmd.length);
        Memory array = new Memory(Native.POINTER_SIZE);
        array.setPointer(0, text);
        long[] outbuf = new long[1];
        long[] outlen = new long[1];
        long[] outs = new long[1];
        long[] outslen = new long[1];
        guard.enter();
        try {
            int rc = Lib.rados_mon_command(cluster, Pointer.nativeValue(array), 1, new byte[0], 0, outbuf, outlen, outs,
                    outslen);
            return new MonReply(rc, take(outbuf[0], outlen[0]), take(outs[0], outslen[0]));
        } finally {
            guard.exit();
            CephMount.keepAlive(text);
            CephMount.keepAlive(array);
        }
    }

    /**
     * {@code rados_blocklist_add}: fences the client at {@code address} ({@code ip:port/nonce}, as
     * {@link CephMount#addresses()} gives it) for {@code expireSeconds}. Refuses an address without a nonce, which
     * would fence every client of that host.
     */
    public void blocklist(String address, int expireSeconds) throws FileSystemException {
        if (address == null || !CLIENT_ADDR.matcher(address).matches()) {
            throw new IllegalArgumentException("not a client address ip:port/nonce with a nonce: '"
                    + CString.printable(String.valueOf(address)) + "'");
        }
        guard.enter();
        try {
            CephErrors.check(Lib.rados_blocklist_add(cluster, CString.of("address", address, 256), expireSeconds),
                    "rados_blocklist_add", address);
        } finally {
            guard.exit();
        }
    }

    /** {@code rados_getaddrs}: this handle's own addresses ({@code ip:port/nonce}); empty before connect. */
    public java.util.List<String> addresses() {
        long[] out = new long[1];
        guard.enter();
        try {
            if (Lib.rados_getaddrs(cluster, out) < 0 || out[0] == 0) {
                return java.util.List.of();
            }
            try {
                return CephMount.parseAddresses(new Pointer(out[0]).getString(0, "UTF-8"));
            } finally {
                Native.free(out[0]);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * {@code rados_read}: up to {@code len} bytes of object {@code oid} in {@code pool} from offset 0, straight from
     * the OSDs (no MDS, no caps: what a peer reads of another node's lease file, see PeerWatch); null if there is no
     * such object. Bounded by {@code rados_osd_op_timeout} when set.
     */
    public byte[] read(String pool, String oid, int len) throws FileSystemException {
        guard.enter();
        try {
            long io = ioctx(pool);
            byte[] buf = new byte[len];
            int rc = Lib.rados_read(io, CString.of("object", oid, 256), buf, len, 0);
            if (rc == -Errno.ENOENT.code()) {
                return null;
            }
            CephErrors.check(rc, "rados_read", pool + "/" + oid);
            return java.util.Arrays.copyOf(buf, rc);
        } finally {
            guard.exit();
        }
    }

    /**
     * Creates object {@code oid} in {@code pool} holding {@code data}, only if it does not exist yet (an atomic
     * exclusive create at the OSD: of many clients trying, exactly one gets true). False if it exists.
     */
    public boolean createExclusive(String pool, String oid, byte[] data) throws FileSystemException {
        guard.enter();
        try {
            long io = ioctx(pool);
            long op = Lib.rados_create_write_op();
            if (op == 0) {
                throw new CephFileSystemException("rados_create_write_op", Errno.ENOMEM.code(), oid, null,
                        "rados_create_write_op returned no handle");
            }
            try {
                Lib.rados_write_op_create(op, 1 /* LIBRADOS_CREATE_EXCLUSIVE */, null);
                Lib.rados_write_op_write_full(op, data, data.length);
                int rc = Lib.rados_write_op_operate(op, io, CString.of("object", oid, 256), 0, 0);
                if (rc == -Errno.EEXIST.code()) {
                    return false;
                }
                CephErrors.check(rc, "rados_write_op_operate", pool + "/" + oid);
                return true;
            } finally {
                Lib.rados_release_write_op(op);
            }
        } finally {
            guard.exit();
        }
    }

    /** {@code rados_remove}; true if it removed the object, false if there was none. */
    public boolean remove(String pool, String oid) throws FileSystemException {
        guard.enter();
        try {
            int rc = Lib.rados_remove(ioctx(pool), CString.of("object", oid, 256));
            if (rc == -Errno.ENOENT.code()) {
                return false;
            }
            CephErrors.check(rc, "rados_remove", pool + "/" + oid);
            return true;
        } finally {
            guard.exit();
        }
    }

    private long ioctx(String pool) throws FileSystemException {
        Long io = pools.get(pool);
        if (io != null) {
            return io;
        }
        synchronized (pools) {
            io = pools.get(pool);
            if (io == null) {
                long[] out = new long[1];
                CephErrors.check(Lib.rados_ioctx_create(cluster, CString.of("pool", pool, 256), out),
                        "rados_ioctx_create", pool);
                io = out[0];
                pools.put(pool, io);
            }
            return io;
        }
    }

    private static String take(long p, long len) {
        if (p == 0) {
            return "";
        }
        try {
            return len <= 0 ? "" : new String(new Pointer(p).getByteArray(0, (int) Math.min(len, 1 << 20)),
                    StandardCharsets.UTF_8);
        } finally {
            Lib.rados_buffer_free(p);
        }
    }

    @Override
    public void close() {
        guard.close();
    }

    private void free() {
        for (Long io : pools.values()) {
            Lib.rados_ioctx_destroy(io);
        }
        pools.clear();
        Lib.rados_shutdown(cluster);
        NativeHandles.RADOS.decrementAndGet();
    }

    @Override
    public String toString() {
        return "RadosAdmin[" + name + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
