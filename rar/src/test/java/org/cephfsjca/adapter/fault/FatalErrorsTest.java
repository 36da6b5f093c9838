package org.cephfsjca.adapter.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.libcephfs.CephErrors;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;
import org.cephfsjca.libcephfs.TestCluster;

/** Which failures mean the session is gone. */
class FatalErrorsTest {

    @Test
    void sessionErrnosAreFatal() {
        for (Errno e : new Errno[] {Errno.ESHUTDOWN, Errno.ENOTCONN, Errno.ECONNRESET}) {
            assertTrue(FatalErrors.isFatal(CephErrors.exception("ceph_open", -e.code(), "/x", null)), e.name());
            assertTrue(FatalErrors.isFatal(e));
        }
    }

    @Test
    void ordinaryErrnosAreNot() {
        for (Errno e : new Errno[] {Errno.ENOENT, Errno.EEXIST, Errno.EACCES, Errno.EIO, Errno.EAGAIN, Errno.ENOSPC,
                Errno.EDQUOT, Errno.ENODATA, Errno.ETIMEDOUT, Errno.ESTALE, Errno.UNKNOWN}) {
            assertFalse(FatalErrors.isFatal(CephErrors.exception("ceph_open", -Math.abs(e.code()), "/x", null)),
                    e.name());
        }
        assertFalse(FatalErrors.isFatal(new IOException("ESHUTDOWN in the text is not enough")));
        assertFalse(FatalErrors.isFatal(new IllegalArgumentException("x")));
        assertFalse(FatalErrors.isFatal((Throwable) null));
        assertFalse(FatalErrors.isFatal((Errno) null));
    }

    @Test
    void foundThroughTheCauseChain() {
        CephFileSystemException root = new CephFileSystemException("ceph_write", 108, "/x", null, "blocklisted");
        assertTrue(FatalErrors.isFatal(new UncheckedIOException(new IOException("wrapped", root))));
        assertFalse(FatalErrors.isFatal(new UncheckedIOException(new NoSuchFileException("/x"))));
    }

    @Test
    void aCauseCycleEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertFalse(FatalErrors.isFatal(a));
    }

    @Test
    void theBindingsMountGoneStatesAreFatal() throws Exception {
        // a handle never mounted, and a closed one: the binding's own IllegalStateExceptions
        try (CephMount created = CephMount.create("admin")) {
            IllegalStateException notMounted = assertThrows(IllegalStateException.class, () -> created.stat("/"));
            assertTrue(FatalErrors.isFatal(notMounted), notMounted.getMessage());
            created.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> created.stat("/"));
            assertTrue(FatalErrors.isFatal(closed), closed.getMessage());
            assertTrue(FatalErrors.isFatal(new IOException("wrapped", closed)));
        }
    }

    @Test
    void unmountedMountIsFatalButAClosedFileIsNot() throws Exception {
        try (CephMount m = TestCluster.mounted()) {
            CephFile f = m.open("/", OpenFlags.O_RDONLY, 0);
            f.close();
            IllegalStateException fileClosed = assertThrows(IllegalStateException.class, f::stat);
            assertFalse(FatalErrors.isFatal(fileClosed), fileClosed.getMessage());
            m.unmount();
            IllegalStateException unmounted = assertThrows(IllegalStateException.class, () -> m.stat("/"));
            assertTrue(FatalErrors.isFatal(unmounted), unmounted.getMessage());
        }
    }

    @Test
    void anApplicationsLookalikeMessageIsNot() {
        // same text, but not thrown by the binding
        assertFalse(FatalErrors.isFatal(new IllegalStateException("ceph mount (client.admin) is closed")));
        assertFalse(FatalErrors.isFatal(new IllegalStateException("connection is closed")));
    }
}
