package org.cephfsjca.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LockFilesTest {

    @Test
    void oneFlatFixedLengthLockFilePerName() {
        String a = LockFiles.pathOf("a");
        String folderA = LockFiles.pathOf("a/b");
        assertNotEquals(a, folderA);
        assertTrue(a.startsWith("/documents/.locks/") && a.endsWith(".lock"), a);
        assertEquals(a.length(), LockFiles.pathOf("x".repeat(200) + "/" + "y".repeat(200)).length());
        // the SHA-256 of "a"
        assertEquals("/documents/.locks/ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb.lock", a);
    }
}
