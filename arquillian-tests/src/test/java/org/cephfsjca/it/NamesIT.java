package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Names: bidirectional-control and zero-width characters are refused (400 {@code bad-name}); names are normalized to
 * NFC, so the NFC and NFD spellings of a name are one document, listed once under its NFC name.
 */
class NamesIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("names");

    private static String encoded(String leaf) {
        return "/documents/" + DIR.dir() + "/" + URLEncoder.encode(leaf, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void bidiControlAndZeroWidthCharactersAreRefused() {
        Map<String, String> bad = Map.of(
                "invoice\u202Efdp.exe", "bidirectional",  // RIGHT-TO-LEFT OVERRIDE
                "a\u200Fb.txt", "bidirectional",          // RIGHT-TO-LEFT MARK
                "a\u2066b\u2069.txt", "bidirectional",    // LEFT-TO-RIGHT ISOLATE ... POP
                "a\u061Cb.txt", "bidirectional",          // ARABIC LETTER MARK
                "pass\u200Bword.txt", "zero-width",       // ZERO WIDTH SPACE
                "a\u200Db.txt", "zero-width",             // ZERO WIDTH JOINER
                "\uFEFFbom.txt", "zero-width",            // ZERO WIDTH NO-BREAK SPACE
                "a\u2060b.txt", "zero-width");            // WORD JOINER
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Http.Resp put = Http.put(encoded(e.getKey()), "x");
            assertEquals(400, put.status(), e.getKey() + " -> " + put);
            assertEquals("bad-name", put.error());
            assertTrue(Json.str(put.json(), "message").contains(e.getValue()), put.toString());
            assertEquals(400, Http.get(encoded(e.getKey())).status());
        }
    }

    @Test
    void nfcAndNfdAreOneDocument() {
        String nfc = "caf\u00e9-r\u00e9sum\u00e9.txt";       // é as one code point
        String nfd = "cafe\u0301-re\u0301sume\u0301.txt";    // e + COMBINING ACUTE ACCENT
        Http.Resp created = Http.put(encoded(nfd), "written under the NFD spelling");
        assertEquals(201, created.status(), created.toString());
        assertEquals(DIR.dir() + "/" + nfc, Json.str(created.json(), "name"), "stored under the NFC name");
        assertEquals("written under the NFD spelling", Http.get(encoded(nfc)).body());

        Http.Resp replaced = Http.put(encoded(nfc), "replaced under the NFC spelling");
        assertEquals(200, replaced.status(), "the same document: " + replaced);
        assertEquals("replaced under the NFC spelling", Http.get(encoded(nfd)).body());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> docs = (List<Map<String, Object>>) Http.get("/documents").json();
        List<Object> mine = docs.stream().map(d -> d.get("name")).filter(n -> n.toString().startsWith(DIR.dir()))
                .toList();
        assertEquals(List.of(DIR.dir() + "/" + nfc), mine, "listed once, NFC");

        // check-outs follow the normalized name too
        assertEquals(200, Http.post(encoded(nfd) + "/checkout").status());
        assertEquals(409, Http.put(encoded(nfc), "x").status());
        assertEquals(200, Http.post(encoded(nfc) + "/checkin").status());
        assertEquals(204, Http.delete(encoded(nfd)).status());
        assertEquals(404, Http.get(encoded(nfc)).status());
        DIR.name(nfc); // its lock file is cleaned up
    }
}
