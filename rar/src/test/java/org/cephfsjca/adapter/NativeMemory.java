package org.cephfsjca.adapter;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import org.cephfsjca.libcephfs.NativeHandles;

/**
 * Test support: one reading of this JVM's native memory, for leak checks under load.
 *
 * <ul>
 * <li>{@code mallocInUse}: bytes glibc malloc has handed out and not had back ({@code mallinfo2}: uordblks +
 * hblkhd, all arenas). libcephfs (not linked with tcmalloc on Debian) allocates its clients, caches, file handles
 * and message buffers there, so a native leak shows here and not in the Java heap.</li>
 * <li>{@code jvmMalloc}: the part of that the JVM itself allocated (JIT arenas, GC tables, symbols, NIO direct
 * buffers), from Native Memory Tracking (the test JVM runs with {@code -XX:NativeMemoryTracking=summary},
 * rar/pom.xml): a C2 compilation alone may hold tens of MiB for a moment, and in a suite run the JIT is busy with
 * the other tests' code. {@link #nativeMalloc()} is what remains: libcephfs, JNA's memory, libc.</li>
 * <li>{@code rss}: resident set ({@code VmRSS}); includes the Java heap, so only a coarse check.</li>
 * <li>NIO direct buffers (count, bytes) and {@link NativeHandles} (mounts, files, directories open).</li>
 * </ul>
 */
public record NativeMemory(long mallocInUse, long jvmMalloc, long rss, long directBuffers, long directBytes, long mounts, long files,
                           long directories) {

    /** glibc's {@code struct mallinfo2}: ten size_t. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    interface LibC extends Library {
        MallInfo2 mallinfo2();
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    /** A reading now. */
    public static NativeMemory now() throws IOException {
        MallInfo2 m = LIBC.mallinfo2();
        long count = 0;
        long bytes = 0;
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        for (BufferPoolMXBean p : pools) {
            if (p.getName().equals("direct")) {
                count = p.getCount();
                bytes = p.getMemoryUsed();
            }
        }
        return new NativeMemory(m.uordblks + m.hblkhd, JvmNativeMemory.mallocBytes(), rssBytes(), count, bytes, NativeHandles.mounts(),
                NativeHandles.files(), NativeHandles.directories());
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /** malloc'd bytes outside the JVM's own allocations: libcephfs, JNA, libc. */
    public long nativeMalloc() {
        return mallocInUse - jvmMalloc;
    }

    @Override
    public String toString() {
        return String.format("malloc in use %.1f MiB (of it the JVM's own %.1f MiB), RSS %.1f MiB, direct buffers %d (%.1f MiB), native handles "
                        + "mounts=%d files=%d directories=%d", mallocInUse / 1048576.0, jvmMalloc / 1048576.0, rss / 1048576.0, directBuffers,
                directBytes / 1048576.0, mounts, files, directories);
    }
}
