package org.cephfsjca.adapter.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;

/** The container's copy of a session's loss is one line: slot, uuid, the failure, its errno name; no trace. */
class SessionLostExceptionTest {

    @Test
    void namesSlotUuidFailureAndErrnoWithoutATraceOrCause() {
        CephFileSystemException eshutdown = new CephFileSystemException("ceph_fsync", -Errno.ESHUTDOWN.code(),
                "/d/.upload-1", null, "ceph_fsync: ESHUTDOWN (client blocklisted)");
        SessionLostException e = SessionLostException.of(3, "cephfs-jca-n1-abc", new IOException("wrapped",
                eshutdown));
        assertEquals("session in slot 3 (uuid cephfs-jca-n1-abc) is unusable: wrapped, error code: ESHUTDOWN",
                e.getMessage());
        assertEquals("ESHUTDOWN", e.getErrorCode());
        assertEquals(0, e.getStackTrace().length, "no stack trace for IronJacamar's WARN to print");
        assertNull(e.getCause());
    }

    @Test
    void aFailureWithoutAnErrnoHasNoErrorCode() {
        SessionLostException e = SessionLostException.of(0, "u", new IllegalStateException("ceph mount is closed"));
        assertNull(e.getErrorCode());
        assertTrue(e.getMessage().endsWith("is unusable: ceph mount is closed"), e.getMessage());
        assertNull(SessionLostException.of(0, "u", null).getErrorCode());
    }
}
