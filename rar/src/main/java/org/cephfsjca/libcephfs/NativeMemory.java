package org.cephfsjca.libcephfs;

import java.lang.reflect.Field;

/**
 * Plain loads from native memory the binding owns (a directory's getdents buffer), through {@code sun.misc.Unsafe}:
 * a direct {@code ByteBuffer} checks bounds and byte order on every access, which costs ~15 ns per directory entry
 * (a third of decoding one). {@link #AVAILABLE} is false where Unsafe cannot be had; callers then use the buffer.
 * Callers check the bounds themselves: every address passed here lies inside a buffer they allocated.
 */
final class NativeMemory {

    /** The one place the binding obtains Unsafe; null where the class loader hides it (DirectBuffers uses it too). */
    static final sun.misc.Unsafe UNSAFE = unsafe();
    /** True if the loads below may be used. */
    static final boolean AVAILABLE = UNSAFE != null;
    private static final long BYTES = AVAILABLE ? UNSAFE.arrayBaseOffset(byte[].class) : 0;

    private NativeMemory() {
    }

    /** 8 bytes at {@code address}, native byte order. */
    static long getLong(long address) {
        return UNSAFE.getLong(address);
    }

    static byte getByte(long address) {
        return UNSAFE.getByte(address);
    }

    /** Copies {@code len} bytes from {@code address} to {@code dst[0..len)}; {@code len <= dst.length}. */
    static void copy(long address, byte[] dst, int len) {
        UNSAFE.copyMemory(null, address, dst, BYTES, len);
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
