package org.cephfsjca.libcephfs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many native libcephfs objects this JVM holds right now: mounts ({@code ceph_create} not yet released), open
 * files ({@code ceph_open} not yet closed) and open directories ({@code ceph_opendir} plus their 35 KiB entry
 * buffer). Each is counted when the Java object is built around the native one and uncounted when its
 * {@link NativeGuard} frees it, so a count that keeps growing is a native leak (descriptors, caps, client memory)
 * that no Java heap statistic shows. For diagnostics and leak tests.
 */
public final class NativeHandles {

    static final AtomicLong MOUNTS = new AtomicLong();
    static final AtomicLong FILES = new AtomicLong();
    static final AtomicLong DIRECTORIES = new AtomicLong();
    static final AtomicLong RADOS = new AtomicLong();

    private NativeHandles() {
    }

    /** Mounts created and not yet released. */
    public static long mounts() {
        return MOUNTS.get();
    }

    /** Files opened and not yet closed. */
    public static long files() {
        return FILES.get();
    }

    /** Directories opened and not yet closed. */
    public static long directories() {
        return DIRECTORIES.get();
    }

    /** librados handles ({@link RadosAdmin}: the watchdog's fencing) not yet shut down. */
    public static long rados() {
        return RADOS.get();
    }

    /** "mounts=M files=F directories=D" (and " rados=R" when there are any). */
    public static String summary() {
        return "mounts=" + mounts() + " files=" + files() + " directories=" + directories()
                + (rados() == 0 ? "" : " rados=" + rados());
    }
}
