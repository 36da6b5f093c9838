package org.cephfsjca.example;

import java.nio.charset.StandardCharsets;

/**
 * Validates the document names clients send. A name is a relative path of 1-16 segments separated by '/'
 * ({@code reports/2024/q1.pdf}); each segment is 1-255 bytes of UTF-8, not {@code .} or {@code ..}, does not start
 * with '.' (reserved for the service's temporary files), and has no control characters, NUL or backslash. The last
 * segment cannot be {@code checkout} or {@code checkin} (those are the verbs of the API).
 */
final class DocumentNames {

    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_SEGMENT_BYTES = 255;
    static final int MAX_DEPTH = 16;

    private DocumentNames() {
    }

    /** The name itself when valid; otherwise a 400 {@link DocumentException} saying what is wrong. */
    static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw DocumentException.badName("the document name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw DocumentException.badName("the document name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                throw DocumentException.badName("the document name contains a NUL character (at index " + i + ")");
            }
            if (c < 0x20 || c == 0x7f) {
                throw DocumentException.badName("the document name contains a control character (at index " + i
                        + ")");
            }
            if (c == '\\') {
                throw DocumentException.badName("the document name contains a backslash; separate folders with '/'");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1)))) {
                throw DocumentException.badName("the document name is not valid Unicode");
            }
        }
        if (name.startsWith("/")) {
            throw DocumentException.badName("the document name must be relative: '" + printable(name)
                    + "' starts with '/'");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            throw DocumentException.badName("the document name has more than " + MAX_DEPTH + " folder levels");
        }
        for (String s : segments) {
            if (s.isEmpty()) {
                throw DocumentException.badName("the document name '" + printable(name)
                        + "' has an empty segment ('//' or a trailing '/')");
            }
            if (s.equals(".") || s.equals("..")) {
                throw DocumentException.badName("the document name '" + printable(name)
                        + "' contains '" + s + "': names cannot climb out of the document store");
            }
            if (s.startsWith(".")) {
                throw DocumentException.badName("the document name '" + printable(name)
                        + "' has a segment starting with '.' (reserved)");
            }
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw DocumentException.badName("a segment of the document name is longer than "
                        + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        String last = segments[segments.length - 1];
        if (last.equals("checkout") || last.equals("checkin")) {
            throw DocumentException.badName("'" + last + "' is reserved as the last segment of a document name");
        }
        return name;
    }

    /** Quoting for messages: printable ASCII as is, anything else as \\uXXXX. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
