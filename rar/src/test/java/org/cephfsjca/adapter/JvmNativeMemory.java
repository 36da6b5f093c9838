package org.cephfsjca.adapter;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

/**
 * Test support: how much the JVM itself has malloc'd, from its Native Memory Tracking summary (the {@code
 * VM.native_memory} diagnostic command, in process). Fails when tracking is off: a leak check that silently counted
 * the JIT's arenas as ours would be back to guessing.
 */
final class JvmNativeMemory {

    /** JDK 17's summary total: "malloc: 13157KB #71526" (tracking headers and arenas included, counted once). */
    private static final Pattern TOTAL_MALLOC = Pattern.compile("^\\s*malloc: (\\d+)KB #(\\d+)", Pattern.MULTILINE);
    /** glibc's own per-chunk header and rounding, which uordblks counts and the JVM's tracking does not. */
    private static final long GLIBC_CHUNK_OVERHEAD = 16;

    private JvmNativeMemory() {
    }

    static long mallocBytes() {
        String summary;
        try {
            summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("VM.native_memory summary failed", e);
        }
        Matcher m = TOTAL_MALLOC.matcher(summary);
        if (!m.find()) {
            throw new IllegalStateException("no malloc total in the JVM's native memory summary (is the test JVM run"
                    + " with -XX:NativeMemoryTracking=summary?): " + summary.lines().limit(5).toList());
        }
        return Long.parseLong(m.group(1)) * 1024 + Long.parseLong(m.group(2)) * GLIBC_CHUNK_OVERHEAD;
    }
}
