package org.cephfsjca.it.sweep;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Random;

/**
 * The names the sweep draws from, inside its own folder: valid ones (which the model tracks, spelled NFC or NFD, some
 * nested under others so that "a document where a folder should be" happens), names the app must refuse with 400
 * {@code bad-name}, and raw paths with malformed percent-encoding ({@code bad-encoding}).
 */
final class SweepNames {

    /** Leaves below the sweep's folder; "a.txt/child" and "b/c.txt" make documents and folders collide. */
    private static final List<String> VALID = List.of("a.txt", "a.txt/child", "b/c.txt", "b", "deep/x/y/z.bin",
            "caf\u00e9.txt", "space name.txt", "\u65e5\u672c\u8a9e.txt", "emoji-\ud83d\ude00.txt",
            "x".repeat(250) + ".txt", "per%cent.txt", "plus+and&amp.txt", "q?uestion#hash.txt");

    /** Leaves every method must refuse with 400 bad-name (rules in docs/example-app.md, "Names"). */
    private static final List<String> BAD = List.of(".hidden", "a/./b", "a/../b", "..", "a//b",
            "invoice\u202efdp.exe", "zero\u200bwidth", "bom\ufeff.txt", "rtl\u2067x", "nul\u0000byte", "bell\u0007",
            "del\u007f", "c1\u0085", "back\\slash", "s".repeat(256), deep(17),
            "\u00e9".repeat(128) + "x");

    /** Raw (undecoded) leaves with malformed or non-UTF-8 percent-encoding: 400 bad-encoding. */
    private static final List<String> BAD_ENCODING = List.of("%", "%zz", "%C0%AE", "%FF%FE", "a%2", "%ED%A0%80",
            "ok/%E2%82", "%%41");

    private final String dir;

    SweepNames(String dir) {
        this.dir = dir;
    }

    /** A valid document name (the model's key is its NFC form); sometimes spelled NFD. */
    String valid(Random rnd) {
        String leaf = VALID.get(rnd.nextInt(VALID.size()));
        if (rnd.nextInt(4) == 0) {
            leaf = Normalizer.normalize(leaf, Normalizer.Form.NFD);
        }
        return dir + "/" + leaf;
    }

    String bad(Random rnd) {
        return dir + "/" + BAD.get(rnd.nextInt(BAD.size()));
    }

    /** A raw API path (after /api) whose encoding is malformed. */
    String badEncodingPath(Random rnd) {
        return "/documents/" + dir + "/" + BAD_ENCODING.get(rnd.nextInt(BAD_ENCODING.size()));
    }

    /** Every valid name, NFC: the documents the model may hold. */
    List<String> allValid() {
        return VALID.stream().map(l -> dir + "/" + l).toList();
    }

    static String nfc(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /**
     * The API path of {@code name}, every segment percent-encoded as UTF-8 except unreserved characters, so that what
     * the app decodes is exactly the name (a "." or ".." segment is sent encoded, which the app must refuse too).
     */
    static String apiPath(String name) {
        StringBuilder sb = new StringBuilder("/documents");
        for (String seg : name.split("/", -1)) {
            sb.append('/');
            for (byte b : seg.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_' || c == '~') {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
        }
        return sb.toString();
    }

    private static String deep(int levels) {
        StringBuilder sb = new StringBuilder("l0");
        for (int i = 1; i < levels; i++) {
            sb.append("/l").append(i);
        }
        return sb.toString();
    }
}
