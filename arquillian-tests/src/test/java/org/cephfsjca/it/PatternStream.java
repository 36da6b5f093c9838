package org.cephfsjca.it;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** A reproducible pseudo-random byte stream of a given length, generated on the fly (xorshift64*). */
public final class PatternStream extends InputStream {
    private long state;
    private long left;

    public PatternStream(long seed, long length) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        this.left = length;
    }

    public static String sha256(long seed, long length) {
        try (PatternStream p = new PatternStream(seed, length)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n = p.read(buf); n > 0; n = p.read(buf)) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long next() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545F4914F6CDD1DL;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left) & ~7;
        if (n == 0) {
            n = (int) Math.min(len, left);
            long v = next();
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (v >>> (8 * i));
            }
        } else {
            for (int i = 0; i < n; i += 8) {
                long v = next();
                for (int k = 0; k < 8; k++) {
                    b[off + i + k] = (byte) (v >>> (8 * k));
                }
            }
        }
        left -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        left = 0;
    }
}
