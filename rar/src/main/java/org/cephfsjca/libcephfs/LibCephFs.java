package org.cephfsjca.libcephfs;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The raw libcephfs entry points, bound with JNA direct mapping ({@link Native#register}), which calls
 * straight into C without the reflection and argument boxing of interface proxies.
 *
 * <p>Every pointer ({@code struct ceph_mount_info *}, {@code struct ceph_dir_result *}, data buffers) is a
 * {@code long} address: the callers own the memory and decide when it is valid. Strings are NUL-terminated
 * UTF-8 {@code byte[]} built by {@link CString}, so the platform charset never matters and NUL bytes are
 * rejected before they reach C. Nothing here checks anything: only {@link CephMount}, {@link CephFile}
 * and {@link CephDirectory} may call these methods.
 */
final class LibCephFs {

    static {
        Native.register(LibCephFs.class, NativeLibrary.getInstance(loadName()));
    }

    private LibCephFs() {
    }

    private static String loadName() {
        // "cephfs" would map to libcephfs.so, which only the -dev package has; Debian's libcephfs2 has the soname.
        return System.getProperty("cephfs.jca.library", "libcephfs.so.2");
    }

    /** Forces the library to load (and fail early with a clear error if it is missing). */
    static void load() {
        // the static initializer did the work
    }

    // lifecycle
    static native long ceph_version(int[] major, int[] minor, int[] patch);

    static native int ceph_create(long[] cmount, byte[] id);

    /** {@code struct CephContext *}: the configuration, log and messenger stack of a mount; no reference taken. */
    static native long ceph_get_mount_context(long cmount);

    /** A new mount on {@code cct}, which it takes a reference on (released with the mount). */
    static native int ceph_create_with_context(long[] cmount, long cct);

    static native int ceph_conf_read_file(long cmount, byte[] pathList);

    static native int ceph_conf_set(long cmount, byte[] option, byte[] value);

    static native int ceph_conf_get(long cmount, byte[] option, byte[] buf, long len);

    static native int ceph_init(long cmount);

    static native int ceph_select_filesystem(long cmount, byte[] fsName);

    static native int ceph_mount(long cmount, byte[] root);

    static native int ceph_is_mounted(long cmount);

    static native long ceph_get_fs_cid(long cmount);

    /** A getter that only checks that the client is mounted: the cost of a native call by itself (benchmarks). */
    static native int ceph_get_stripe_unit_granularity(long cmount);

    static native int ceph_unmount(long cmount);

    static native int ceph_release(long cmount);

    static native void ceph_shutdown(long cmount);

    /** {@code char **addrs}: a strdup'ed string the caller frees. */
    static native int ceph_getaddrs(long cmount, long[] addrs);

    // reclaim
    static native void ceph_set_uuid(long cmount, byte[] uuid);

    static native void ceph_set_session_timeout(long cmount, int timeoutSeconds);

    static native int ceph_start_reclaim(long cmount, byte[] uuid, int flags);

    static native void ceph_finish_reclaim(long cmount);

    // files
    static native int ceph_open(long cmount, byte[] path, int flags, int mode);

    /** {@code path} is the address of a NUL-terminated string ({@link CString#pathAddress}). */
    static native int ceph_open(long cmount, long path, int flags, int mode);

    static native int ceph_close(long cmount, int fd);

    static native int ceph_read(long cmount, int fd, long buf, long size, long offset);

    static native int ceph_read(long cmount, int fd, byte[] buf, long size, long offset);

    static native int ceph_write(long cmount, int fd, long buf, long size, long offset);

    static native int ceph_write(long cmount, int fd, byte[] buf, long size, long offset);

    static native int ceph_fsync(long cmount, int fd, int syncDataOnly);

    static native int ceph_ftruncate(long cmount, int fd, long size);

    static native long ceph_lseek(long cmount, int fd, long offset, int whence);

    static native int ceph_fallocate(long cmount, int fd, int mode, long offset, long length);

    static native int ceph_statx(long cmount, byte[] path, long stx, int want, int flags);

    /** {@code path} is the address of a NUL-terminated string ({@link CString#pathAddress}). */
    static native int ceph_statx(long cmount, long path, long stx, int want, int flags);

    static native int ceph_fstatx(long cmount, int fd, long stx, int want, int flags);

    static native int ceph_flock(long cmount, int fd, int operation, long owner);

    // paths
    static native int ceph_mkdir(long cmount, byte[] path, int mode);

    static native int ceph_mkdirs(long cmount, byte[] path, int mode);

    static native int ceph_rmdir(long cmount, byte[] path);

    static native int ceph_unlink(long cmount, byte[] path);

    static native int ceph_rename(long cmount, byte[] from, byte[] to);

    static native int ceph_link(long cmount, byte[] existing, byte[] newName);

    static native int ceph_symlink(long cmount, byte[] existing, byte[] newName);

    static native int ceph_readlink(long cmount, byte[] path, byte[] buf, long size);

    static native int ceph_chmod(long cmount, byte[] path, int mode);

    static native int ceph_chown(long cmount, byte[] path, int uid, int gid);

    static native int ceph_utimes(long cmount, byte[] path, long[] timevals);

    static native int ceph_truncate(long cmount, byte[] path, long size);

    static native int ceph_statfs(long cmount, byte[] path, long statvfs);

    static native int ceph_sync_fs(long cmount);

    // directories
    static native int ceph_opendir(long cmount, byte[] name, long[] dirp);

    static native int ceph_getdents(long cmount, long dirp, long buf, int buflen);

    static native int ceph_closedir(long cmount, long dirp);

    // xattrs
    static native int ceph_getxattr(long cmount, byte[] path, byte[] name, byte[] value, long size);

    static native int ceph_get_path_pool_name(long cmount, byte[] path, byte[] buf, long buflen);

    static native int ceph_setxattr(long cmount, byte[] path, byte[] name, byte[] value, long size, int flags);

    static native int ceph_listxattr(long cmount, byte[] path, byte[] list, long size);

    static native int ceph_removexattr(long cmount, byte[] path, byte[] name);
}
