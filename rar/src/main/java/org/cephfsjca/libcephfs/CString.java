package org.cephfsjca.libcephfs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns Java strings into the NUL-terminated UTF-8 that libcephfs expects, and back.
 *
 * <p>Rejects, before anything reaches C: {@code null}, embedded NUL (C would silently cut the string, so
 * "a\0/../x" would name another file), unpaired surrogates (not encodable as UTF-8), and strings longer
 * than the limit given.
 */
final class CString {

    /** PATH_MAX on Linux, including the terminating NUL. */
    static final int PATH_MAX = 4096;
    /** NAME_MAX on Linux: longest path component. */
    static final int NAME_MAX = 255;
    /** XATTR_NAME_MAX on Linux. */
    static final int XATTR_NAME_MAX = 255;

    private static final ThreadLocal<CharsetEncoder> ENCODER = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE));

    private CString() {
    }

    /** A path for libcephfs: at most PATH_MAX bytes, each component at most NAME_MAX bytes. */
    static byte[] path(String what, String path) {
        byte[] b = encode(what, path, PATH_MAX - 1);
        checkComponents(what, path, b);
        return b;
    }

    /**
     * Per-thread native buffer for {@link #pathAddress}. The value is a JDK type on purpose: a value of one of our
     * classes would pin the adapter's class loader in the application server's pooled threads after undeploy.
     */
    private static final ThreadLocal<ByteBuffer> NATIVE_PATH = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(PATH_MAX));

    /**
     * Like {@link #path}, but the NUL-terminated UTF-8 bytes are put in a per-thread native buffer whose address is
     * returned, valid until this thread's next call: the native call then takes a plain {@code long}, which JNA passes
     * without marshalling an array (a copy in and a copy back, ~25 ns). The checks are those of {@link #path}: any
     * doubt (a NUL, a '?' that may stand for an unpaired surrogate, an over-long name) goes through it.
     */
    static long pathAddress(String what, String path) {
        if (path == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        byte[] b = path.getBytes(StandardCharsets.UTF_8); // vectorized copy for ASCII
        int n = b.length;
        boolean ok = n < PATH_MAX;
        int start = 0;
        for (int i = 0; i < n && ok; i++) {
            byte c = b[i];
            if (c == 0 || c == '?') {
                ok = false;
            } else if (c == '/') {
                ok = i - start <= NAME_MAX;
                start = i + 1;
            }
        }
        if (!ok || n - start > NAME_MAX) {
            b = path(what, path); // throws for what is wrong, else gives the exact bytes (with the NUL)
            n = b.length - 1;
        }
        ByteBuffer buffer = NATIVE_PATH.get();
        buffer.put(0, b, 0, n);
        buffer.put(n, (byte) 0);
        return DirectBuffers.address(buffer);
    }

    /** Any other string (option names, values, uuids, xattr names) with a byte limit. */
    static byte[] of(String what, String s, int maxBytes) {
        return encode(what, s, maxBytes, false);
    }

    /** An extended attribute's name: non-empty (libcephfs would answer EOPNOTSUPP), at most XATTR_NAME_MAX bytes. */
    static byte[] xattrName(String name) {
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException("xattr name is empty");
        }
        return of("xattr name", name, XATTR_NAME_MAX);
    }

    /** Like {@link #of} for secrets (cephx keys): messages never quote the value. */
    static byte[] secret(String what, String s, int maxBytes) {
        return encode(what, s, maxBytes, true);
    }

    private static byte[] encode(String what, String s, int maxBytes) {
        return encode(what, s, maxBytes, false);
    }

    private static byte[] encode(String what, String s, int maxBytes, boolean secret) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character at index " + nul
                    + (secret ? "" : ": " + printable(s)));
        }
        // ASCII fast path: no encoder, one copy
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        byte[] out;
        if (ascii) {
            out = new byte[n + 1];
            s.getBytes(0, n, out, 0); // deprecated but exact for ASCII, and copies once
        } else {
            ByteBuffer bb;
            try {
                bb = ENCODER.get().reset().encode(CharBuffer.wrap(s));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)"
                        + (secret ? "" : ": " + printable(s)), e);
            }
            out = new byte[bb.remaining() + 1];
            bb.get(out, 0, bb.remaining());
        }
        if (out.length - 1 > maxBytes) {
            throw new IllegalArgumentException(what + " is " + (out.length - 1) + " bytes in UTF-8; the limit is "
                    + maxBytes + (secret ? "" : ": " + printable(s.substring(0, Math.min(s.length(), 64))) + "..."));
        }
        return out; // last byte is already 0
    }

    private static void checkComponents(String what, String path, byte[] b) {
        int start = 0;
        int end = b.length - 1; // skip the NUL
        for (int i = 0; i <= end; i++) {
            if (i == end || b[i] == '/') {
                if (i - start > NAME_MAX) {
                    throw new IllegalArgumentException(what + " has a component of " + (i - start)
                            + " bytes; the limit is " + NAME_MAX + ": " + printable(path.substring(0,
                            Math.min(path.length(), 64))) + "...");
                }
                start = i + 1;
            }
        }
    }

    /** Decodes {@code len} bytes of UTF-8 (invalid sequences become U+FFFD: names written by other clients). */
    static String decode(byte[] b, int off, int len) {
        try {
            return DECODER.get().reset().decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        }
    }

    /** Escapes control characters so a message never carries raw NULs or newlines. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
