package org.cephfsjca.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DocumentNamesTest {

    private static String refused(String name) {
        DocumentException e = assertThrows(DocumentException.class, () -> DocumentNames.validate(name), name);
        assertEquals(400, e.status());
        assertEquals("bad-name", e.code());
        return e.getMessage();
    }

    @Test
    void nfcAndNfdSpellingsAreOneName() {
        assertEquals("caf\u00e9.txt", DocumentNames.validate("cafe\u0301.txt"));
        assertEquals("caf\u00e9.txt", DocumentNames.validate("caf\u00e9.txt"));
        assertEquals("\u00c5ngstr\u00f6m/a.txt", DocumentNames.validate("A\u030angstro\u0308m/a.txt"));
    }

    @Test
    void bidiControlsAreRefused() {
        for (char c : new char[] {'\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
            '\u2066', '\u2067', '\u2068', '\u2069'}) {
            assertTrue(refused("a" + c + "b.txt").contains("bidirectional"), Integer.toHexString(c));
        }
    }

    @Test
    void zeroWidthCharactersAreRefused() {
        for (char c : new char[] {'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'}) {
            assertTrue(refused("a" + c + "b.txt").contains("zero-width"), Integer.toHexString(c));
        }
    }

    @Test
    void theOldRulesStillHold() {
        assertTrue(refused("").contains("empty"));
        assertTrue(refused("/abs").contains("relative"));
        assertTrue(refused("a//b").contains("empty segment"));
        assertTrue(refused("a/../b").contains(".."));
        assertTrue(refused(".locks/x").contains("reserved"));
        assertTrue(refused("a\u0000b").contains("NUL"));
        assertTrue(refused("a\u0085b").contains("control"));
        assertTrue(refused("a\\b").contains("backslash"));
        assertTrue(refused("a/checkout").contains("reserved"));
        assertTrue(refused("x".repeat(256)).contains("255 bytes"));
        assertEquals("reports/2024/q1.pdf", DocumentNames.validate("reports/2024/q1.pdf"));
        assertEquals("emoji-\ud83d\ude00.txt", DocumentNames.validate("emoji-\ud83d\ude00.txt"));
    }
}
