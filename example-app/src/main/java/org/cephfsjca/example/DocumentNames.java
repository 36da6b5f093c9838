package org.cephfsjca.example;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Validates and normalizes the document names clients send. A name is a relative path of 1-16 segments separated by
 * '/' ({@code reports/2024/q1.pdf}); each segment is 1-255 bytes of UTF-8, not {@code .} or {@code ..}, does not
 * start with '.' (reserved for the service's temporary and lock files), and has no control characters, NUL, backslash, bidirectional-control or zero-width characters. The last
 * segment cannot be {@code checkout} or {@code checkin} (those are the verbs of the API).
 *
 * <p>Names are normalized to Unicode NFC before anything else, so the NFC and NFD spellings of a name ("é" as one
 * code point or as "e" plus a combining accent) are the same document, stored under its NFC form.
 */
final class DocumentNames {

    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_SEGMENT_BYTES = 255;
    static final int MAX_DEPTH = 16;

    private DocumentNames() {
    }

    /** The name in NFC when valid; otherwise a 400 {@link DocumentException} saying what is wrong. */
    static String validate(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw DocumentException.badName("the document name is empty");
        }
        if (raw.length() > MAX_NAME_LENGTH) {
            throw DocumentException.badName("the document name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        checkCharacters(raw);
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (name.startsWith("/")) {
            throw DocumentException.badName("the document name must be relative: '" + printable(name)
                    + "' starts with '/'");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            throw DocumentException.badName("the document name has more than " + MAX_DEPTH + " folder levels");
        }
        for (String s : segments) {
            checkSegment(name, s);
        }
        String last = segments[segments.length - 1];
        if (last.equals("checkout") || last.equals("checkin")) {
            throw DocumentException.badName("'" + last + "' is reserved as the last segment of a document name");
        }
        return name;
    }

    private static void checkCharacters(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                throw DocumentException.badName("the document name contains a NUL character (at index " + i + ")");
            }
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                throw DocumentException.badName("the document name contains a control character (at index " + i
                        + ")");
            }
            if (c == '\\') {
                throw DocumentException.badName("the document name contains a backslash; separate folders with '/'");
            }
            if (isBidiControl(c)) {
                throw DocumentException.badName(String.format("the document name contains a bidirectional-control "
                        + "character (U+%04X at index %d), which can make it display differently from what it is",
                        (int) c, i));
            }
            if (isZeroWidth(c)) {
                throw DocumentException.badName(String.format("the document name contains an invisible zero-width "
                        + "character (U+%04X at index %d)", (int) c, i));
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1)))) {
                throw DocumentException.badName("the document name is not valid Unicode");
            }
        }
    }

    private static void checkSegment(String name, String s) {
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

    /**
     * Unicode bidirectional controls (Bidi_Control=Yes): ALM U+061C, LRM/RLM U+200E-200F, LRE/RLE/PDF/LRO/RLO
     * U+202A-202E, LRI/RLI/FSI/PDI U+2066-2069.
     */
    static boolean isBidiControl(char c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * Invisible zero-width characters: ZWSP U+200B, ZWNJ U+200C, ZWJ U+200D, WORD JOINER U+2060, the invisible
     * operators U+2061-2064, MONGOLIAN VOWEL SEPARATOR U+180E, and ZERO WIDTH NO-BREAK SPACE (BOM) U+FEFF.
     */
    static boolean isZeroWidth(char c) {
        return (c >= 0x200b && c <= 0x200d) || (c >= 0x2060 && c <= 0x2064) || c == 0x180e || c == 0xfeff;
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
