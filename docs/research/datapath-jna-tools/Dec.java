// Directory-entry decoding on 128 synthetic struct dirents, no native call; CPU ns per entry, variant per run:
//   a = the old CephDirectory.decodeNext, g = the new one, b/c = steps between, d = DirEntry + list only, e/e2 = + String
// javac --add-exports java.base/sun.nio.ch=ALL-UNNAMED Dec.java && java -Xms512m -Xmx512m --add-exports java.base/sun.nio.ch=ALL-UNNAMED Dec g
import java.nio.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.lang.reflect.Field;

public class Dec {
    static final int DIRENT_SIZE = 280, D_INO = 0, D_TYPE = 18, D_NAME = 19, NAME_MAX = 255, N = 128;
    static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;
    static sun.misc.Unsafe U;
    static { try { Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true); U = (sun.misc.Unsafe) f.get(null);} catch (Exception e) { throw new Error(e);} }
    static final long BYTE_BASE = U.arrayBaseOffset(byte[].class);
    record DirEntry(String name, long inode, int type) {}

    static ByteBuffer buffer = ByteBuffer.allocateDirect(DIRENT_SIZE * N).order(ByteOrder.nativeOrder());
    static long address;
    static byte[] scratch = new byte[256];

    static List<DirEntry> a(List<DirEntry> out) {
        ByteBuffer b = buffer;
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) {
            int at = pos, name = at + D_NAME, len = NAME_MAX;
            for (int off = 0; off < NAME_MAX; off += 8) {
                long w = b.getLong(name + off);
                long zero = (w - ONES) & ~w & HIGHS;
                if (zero != 0) { len = Math.min(NAME_MAX, off + (Long.numberOfTrailingZeros(zero) >>> 3)); break; }
            }
            byte[] n = scratch;
            b.get(name, n, 0, len);
            if (n[0] == '.' && (len == 1 || len == 2 && n[1] == '.')) continue;
            boolean ascii = true;
            for (int i = 0; i < len; i++) if (n[i] < 0) { ascii = false; break; }
            String s = ascii ? new String(n, 0, len, StandardCharsets.ISO_8859_1) : new String(n, 0, len, StandardCharsets.UTF_8);
            out.add(new DirEntry(s, b.getLong(at + D_INO), b.get(at + D_TYPE) & 0xff));
        }
        return out;
    }

    // Unsafe reads, no scratch ascii loop: ascii test on the words already read
    static List<DirEntry> b(List<DirEntry> out) {
        long base = address;
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) {
            long at = base + pos, name = at + D_NAME;
            int len = NAME_MAX;
            long high = 0;
            for (int off = 0; off < NAME_MAX; off += 8) {
                long w = U.getLong(name + off);
                long zero = (w - ONES) & ~w & HIGHS;
                if (zero != 0) {
                    int k = Long.numberOfTrailingZeros(zero) >>> 3;
                    len = Math.min(NAME_MAX, off + k);
                    high |= w & ((1L << (k << 3)) - 1) & HIGHS; // bytes before the NUL
                    break;
                }
                high |= w & HIGHS;
            }
            byte c0 = U.getByte(name);
            if (c0 == '.' && (len == 1 || len == 2 && U.getByte(name + 1) == '.')) continue;
            byte[] n = scratch;
            U.copyMemory(null, name, n, BYTE_BASE, len);
            String s = high == 0 ? new String(n, 0, len, StandardCharsets.ISO_8859_1) : new String(n, 0, len, StandardCharsets.UTF_8);
            out.add(new DirEntry(s, U.getLong(at + D_INO), U.getByte(at + D_TYPE) & 0xff));
        }
        return out;
    }

    static List<DirEntry> g(List<DirEntry> out) {
        long base = address;
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) {
            long at = base + pos, name = at + D_NAME;
            int len = NAME_MAX;
            long high = 0;
            for (int off = 0; off < NAME_MAX; off += 8) {
                long w = U.getLong(name + off);
                long zero = (w - ONES) & ~w & HIGHS;
                if (zero != 0) {
                    int k = Long.numberOfTrailingZeros(zero) >>> 3;
                    len = Math.min(NAME_MAX, off + k);
                    high |= w & ((1L << (k << 3)) - 1) & HIGHS; // bytes before the NUL
                    break;
                }
                high |= w & HIGHS;
            }
            byte c0 = U.getByte(name);
            if (c0 == '.' && (len == 1 || len == 2 && U.getByte(name + 1) == '.')) continue;
            byte[] n = scratch;
            U.copyMemory(null, name, n, BYTE_BASE, len);
            String s = high == 0 ? new String(n, 0, 0, len) : new String(n, 0, len, StandardCharsets.UTF_8);
            out.add(new DirEntry(s, U.getLong(at + D_INO), U.getByte(at + D_TYPE) & 0xff));
        }
        return out;
    }


    static List<DirEntry> e2(List<DirEntry> out) {
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) out.add(new DirEntry(new String(scratch, 0, 0, 11), pos, 8));
        return out;
    }
    // ByteBuffer reads but ascii from words (no byte loop), String(UTF_8) fast path
    static List<DirEntry> c(List<DirEntry> out) {
        ByteBuffer b = buffer;
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) {
            int at = pos, name = at + D_NAME, len = NAME_MAX;
            long high = 0;
            for (int off = 0; off < NAME_MAX; off += 8) {
                long w = b.getLong(name + off);
                long zero = (w - ONES) & ~w & HIGHS;
                if (zero != 0) { int k = Long.numberOfTrailingZeros(zero) >>> 3; len = Math.min(NAME_MAX, off + k); high |= w & ((1L << (k << 3)) - 1) & HIGHS; break; }
                high |= w & HIGHS;
            }
            if (b.get(name) == '.' && (len == 1 || len == 2 && b.get(name + 1) == '.')) continue;
            byte[] n = scratch;
            b.get(name, n, 0, len);
            String s = high == 0 ? new String(n, 0, len, StandardCharsets.ISO_8859_1) : new String(n, 0, len, StandardCharsets.UTF_8);
            out.add(new DirEntry(s, b.getLong(at + D_INO), b.get(at + D_TYPE) & 0xff));
        }
        return out;
    }


    static final String K = "entry-00000";
    static List<DirEntry> d(List<DirEntry> out) {
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) out.add(new DirEntry(K, pos, 8));
        return out;
    }
    static List<DirEntry> e(List<DirEntry> out) {
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) out.add(new DirEntry(new String(scratch, 0, 11, StandardCharsets.ISO_8859_1), pos, 8));
        return out;
    }
    static List<DirEntry> f(List<DirEntry> out) {
        List<DirEntry> o = new ArrayList<>(N);
        for (int pos = 0; pos + DIRENT_SIZE <= N * DIRENT_SIZE; pos += DIRENT_SIZE) o.add(new DirEntry(K, pos, 8));
        out.addAll(o);
        return out;
    }
    public static void main(String[] args) {
        address = ((sun.nio.ch.DirectBuffer) buffer).address();
        for (int i = 0; i < N; i++) {
            byte[] nm = String.format("entry-%05d", i).getBytes();
            buffer.putLong(i * DIRENT_SIZE, 1000 + i);
            buffer.put(i * DIRENT_SIZE + D_TYPE, (byte) 8);
            buffer.put(i * DIRENT_SIZE + D_NAME, nm);
        }
        String v = args[0];
        for (int round = 0; round < 10; round++) {
            long t0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); long sink = 0; int reps = 200_000;
            for (int r = 0; r < reps; r++) {
                List<DirEntry> out = new ArrayList<>();
                switch (v) { case "a" -> a(out); case "b" -> b(out); case "c" -> c(out); case "d" -> d(out); case "e" -> e(out); case "g" -> g(out); case "e2" -> e2(out); }
                sink += out.size();
            }
            System.out.printf("%s: %.2f ns/entry%n", v, (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0) / (double) sink);
        }
    }
}
