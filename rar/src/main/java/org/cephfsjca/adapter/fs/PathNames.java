package org.cephfsjca.adapter.fs;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalizes application paths before anything reaches Ceph: absolute, {@code //} collapsed, {@code .} dropped,
 * {@code ..} resolved. A path that climbs above {@code /} is refused, so an application can never name anything
 * outside the adapter's mount root however it builds its paths.
 */
public final class PathNames {

    private PathNames() {
    }

    /**
     * The normalized form of {@code path}: {@code "/a//b/./c/../d/"} becomes {@code "/a/b/d"}.
     *
     * @throws IllegalArgumentException if {@code path} is null, relative, contains a NUL character, or escapes the
     *                                  mount root with {@code ..}
     */
    public static String normalize(String path) {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        int nul = path.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("path " + quote(path) + " contains a NUL character at index " + nul);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path " + quote(path) + " is not absolute: paths start with '/' (the "
                    + "mount root)");
        }
        if (isNormal(path)) {
            return path; // the usual case: nothing to resolve, no allocation
        }
        Deque<String> parts = new ArrayDeque<>();
        int n = path.length();
        int start = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                if (i > start) {
                    String part = path.substring(start, i);
                    if (part.equals("..")) {
                        if (parts.isEmpty()) {
                            throw new IllegalArgumentException("path " + quote(path) + " escapes the mount root");
                        }
                        parts.removeLast();
                    } else if (!part.equals(".")) {
                        parts.addLast(part);
                    }
                }
                start = i + 1;
            }
        }
        if (parts.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder(n);
        for (String p : parts) {
            sb.append('/').append(p);
        }
        return sb.toString();
    }

    /**
     * True if {@code path} (absolute, no NUL) is already in normal form: no empty, {@code .} or {@code ..} component
     * and no trailing slash (except the root itself). One pass over the characters, no allocation.
     */
    private static boolean isNormal(String path) {
        int n = path.length();
        if (n == 1) {
            return true; // "/"
        }
        if (path.charAt(n - 1) == '/') {
            return false;
        }
        int start = 1; // index of the current component's first character
        for (int i = 1; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int len = i - start;
                if (len == 0 || path.charAt(start) == '.' && (len == 1 || len == 2 && path.charAt(start + 1) == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /**
     * {@code s} in double quotes with control characters, quotes and backslashes escaped, so that a message never
     * carries a raw NUL or newline from an application's input. {@code null} gives {@code null}.
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogatePair(s, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
