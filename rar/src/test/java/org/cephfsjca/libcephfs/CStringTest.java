package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Pure logic: the string checks that keep bad bytes away from C. */
class CStringTest {

    @Test
    void encodesNulTerminatedUtf8() {
        assertArrayEquals(new byte[] {'/', 'a', 0}, CString.path("p", "/a"));
        byte[] b = CString.path("p", "/\u00e9");
        assertArrayEquals(new byte[] {'/', (byte) 0xc3, (byte) 0xa9, 0}, b);
        assertEquals("/\u00e9", CString.decode(b, 0, b.length - 1));
    }

    @Test
    void refusesNulSurrogatesAndOverlong() {
        assertThrows(IllegalArgumentException.class, () -> CString.path("p", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> CString.path("p", "\udc00"));
        assertThrows(IllegalArgumentException.class, () -> CString.path("p", null));
        assertThrows(IllegalArgumentException.class, () -> CString.path("p", "x".repeat(4096)));
        CString.path("p", ("/" + "x".repeat(200)).repeat(20)); // 4020 bytes, components 200: fine
        assertThrows(IllegalArgumentException.class, () -> CString.path("p", "/" + "\u00e9".repeat(128)));
        CString.path("p", "/" + "\u00e9".repeat(127));
        assertThrows(IllegalArgumentException.class, () -> CString.of("uuid", "x".repeat(11), 10));
    }

    @Test
    void invalidUtf8FromCephBecomesReplacementCharacters() {
        byte[] bad = {'a', (byte) 0xff, 'b'};
        assertEquals("a\ufffdb", CString.decode(bad, 0, 3));
    }

    @Test
    void printableEscapesControlCharacters() {
        assertEquals("a\\u0000b\\u000a", CString.printable("a\0b\n"));
        assertEquals("ok", new String("ok".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
