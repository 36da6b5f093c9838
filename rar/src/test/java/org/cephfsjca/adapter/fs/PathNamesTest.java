package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Normalization of application paths: no cluster needed. */
class PathNamesTest {

    @Test
    void collapsesSlashesAndDots() {
        assertEquals("/", PathNames.normalize("/"));
        assertEquals("/", PathNames.normalize("//"));
        assertEquals("/", PathNames.normalize("/."));
        assertEquals("/a/b", PathNames.normalize("/a//b/"));
        assertEquals("/a/b", PathNames.normalize("/./a/./b/."));
        assertEquals("/a/d", PathNames.normalize("/a/b/c/../../d"));
        assertEquals("/", PathNames.normalize("/a/.."));
        assertEquals("/b", PathNames.normalize("/a/../b"));
        assertEquals("/a/...", PathNames.normalize("/a/..."), "'...' is an ordinary name");
        assertEquals("/a/..b/.c", PathNames.normalize("/a/..b/.c"));
        assertEquals("/ü/日本", PathNames.normalize("/ü//日本/"));
    }

    @Test
    void refusesEscapingTheRoot() {
        for (String p : new String[] {"/..", "/../etc", "/a/../..", "/a/b/../../../c", "//..//x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathNames.normalize(p));
            assertTrue(e.getMessage().contains("escapes the mount root"), e.getMessage());
            assertTrue(e.getMessage().contains("\"" + p + "\""), e.getMessage());
        }
    }

    @Test
    void refusesNulRelativeAndNull() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> PathNames.normalize("/a\0/../x"));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
        assertFalse(nul.getMessage().contains("\0"), "the message must not carry a raw NUL");
        assertTrue(nul.getMessage().contains("\\u0000"), nul.getMessage());

        IllegalArgumentException rel = assertThrows(IllegalArgumentException.class, () -> PathNames.normalize("a/b"));
        assertTrue(rel.getMessage().contains("not absolute"), rel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PathNames.normalize(""));
        assertThrows(IllegalArgumentException.class, () -> PathNames.normalize("./a"));
        assertThrows(IllegalArgumentException.class, () -> PathNames.normalize(null));
    }

    @Test
    void messagesEscapeControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathNames.normalize("rel\nline\ttab"));
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\t"), e.getMessage());
        assertTrue(e.getMessage().contains("\"rel\\u000aline\\u0009tab\""), e.getMessage());
        assertEquals("\"a\\\"b\\\\c\"", PathNames.quote("a\"b\\c"));
        assertEquals("\"\\ud800x\"", PathNames.quote("\ud800x"), "unpaired surrogate is escaped");
        assertEquals("\"\ud83d\ude00\"", PathNames.quote("\ud83d\ude00"), "a valid pair is kept");
    }
}
