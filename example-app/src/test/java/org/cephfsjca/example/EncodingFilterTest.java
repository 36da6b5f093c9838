package org.cephfsjca.example;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class EncodingFilterTest {

    private static final String API = "/cephfs-jca-example/api/documents/";

    @Test
    void malformedOrNonUtf8EncodingIsFound() {
        for (String bad : new String[] {"%", "%z", "%zz", "a%2", "%C0%AE", "%FF%FE", "%ED%A0%80", "%C3", "%E2%82"}) {
            assertNotNull(EncodingFilter.problemOf(API + bad), bad);
        }
    }

    @Test
    void wellFormedUtf8Passes() {
        for (String good : new String[] {"a.txt", "caf%C3%A9", "a%20b", "a%2Fb", "%F0%9F%98%80", "x%25y", "caf\u00e9"}) {
            assertNull(EncodingFilter.problemOf(API + good), good);
        }
    }
}
