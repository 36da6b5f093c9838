package org.cephfsjca.libcephfs;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Native addresses of direct {@link ByteBuffer}s, so data moves between libcephfs and the caller's buffer
 * with no copy, plus small per-thread scratch buffers for structs (statx, statvfs).
 *
 * <p>The address is read from {@code Buffer.address} through {@code sun.misc.Unsafe} (one memory load);
 * where that is not allowed, JNA's {@link Native#getDirectBufferPointer} gives the same value at the cost of
 * a JNI call.
 */
final class DirectBuffers {

    private static final AddressReader READER = AddressReader.create();

    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(512).order(ByteOrder.nativeOrder()));

    private DirectBuffers() {
    }

    /** Address of the buffer's first byte (index 0, not its position). */
    static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("buffer is not direct");
        }
        return READER.address(buffer);
    }

    /** True if addresses are read with one load (Unsafe), false if each costs a JNI call (JNA's fallback). */
    static boolean readsAddressesDirectly() {
        return READER instanceof UnsafeReader;
    }

    /** A per-thread native scratch area of at least 512 bytes, in native byte order. */
    static ByteBuffer scratch() {
        return SCRATCH.get();
    }

    private interface AddressReader {
        long address(ByteBuffer buffer);

        static AddressReader create() {
            AddressReader jniCall = b -> Pointer.nativeValue(Native.getDirectBufferPointer(b));
            sun.misc.Unsafe unsafe = NativeMemory.UNSAFE;
            if (unsafe == null) { // the class loader hides it
                return jniCall;
            }
            try {
                long offset = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
                ByteBuffer probe = ByteBuffer.allocateDirect(8);
                long viaUnsafe = unsafe.getLong(probe, offset);
                long viaJna = Pointer.nativeValue(Native.getDirectBufferPointer(probe));
                if (viaUnsafe == viaJna && viaUnsafe != 0) {
                    return new UnsafeReader(unsafe, offset);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // fall through to the portable way
            }
            return jniCall;
        }
    }

    /** {@code Buffer.address} by one load. */
    private static final class UnsafeReader implements AddressReader {
        private final sun.misc.Unsafe unsafe;
        private final long offset;

        UnsafeReader(sun.misc.Unsafe unsafe, long offset) {
            this.unsafe = unsafe;
            this.offset = offset;
        }

        @Override
        public long address(ByteBuffer buffer) {
            return unsafe.getLong(buffer, offset);
        }
    }
}
