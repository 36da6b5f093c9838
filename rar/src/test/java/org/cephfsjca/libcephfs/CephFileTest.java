package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_EXCL;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.LockMode;

/** open / read / write (direct, heap, byte[]; positional and sequential) / fsync / truncate / seek / flock. */
class CephFileTest {

    private static CephMount mount;
    private static String dir;

    @BeforeAll
    static void mount() throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, CephFileTest.class);
    }

    @AfterAll
    static void unmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    /**
     * ceph_open(O_RDONLY) succeeds on a directory, and a ceph_read on it never returns (it waits for Fr caps that
     * the MDS does not grant on directories): the binding must refuse data calls on such an fd with EISDIR, at once.
     */
    @Test
    void dataCallsOnADirectoryFdFailWithEisdirInsteadOfHanging() throws Exception {
        mount.mkdirs(dir + "/a-dir", 0755);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (CephFile f = mount.open(dir + "/a-dir", O_RDONLY, 0)) {
                for (Executable call : new Executable[] {
                        () -> f.read(ByteBuffer.allocateDirect(16), 0),
                        () -> f.read(ByteBuffer.allocate(16), -1),
                        () -> f.write(ByteBuffer.allocateDirect(16), 0),
                        () -> f.truncate(0)}) {
                    CephFileSystemException e = assertThrows(CephFileSystemException.class, call);
                    assertEquals(Errno.EISDIR, e.errno(), e.getMessage());
                    assertTrue(e.getMessage().contains(dir + "/a-dir"), e.getMessage());
                }
                assertTrue(f.stat().isDirectory(), "metadata calls still work");
                assertTrue(f.lock(LockMode.SHARED, false, 4242), "so do locks (flock on a directory is allowed)");
                f.unlock(4242);
            }
        });
    }

    @Test
    void directBuffersRoundTripWithoutCopies() throws Exception {
        byte[] data = randomBytes(300_000);
        ByteBuffer out = ByteBuffer.allocateDirect(data.length + 10);
        out.position(10); // a non-zero position must be honoured (address + position)
        out.put(data).position(10);
        try (CephFile f = mount.open(dir + "/direct", O_CREAT | O_RDWR | O_TRUNC, 0644)) {
            assertEquals(data.length, f.write(out, 0));
            assertFalse(out.hasRemaining());
            ByteBuffer in = ByteBuffer.allocateDirect(data.length + 3);
            in.position(3);
            assertEquals(data.length, f.read(in, 0));
            byte[] back = new byte[data.length];
            in.position(3);
            in.get(back);
            assertArrayEquals(data, back);
            // at end of file a read returns 0
            assertEquals(0, f.read(ByteBuffer.allocateDirect(16), data.length));
        }
    }

    @Test
    void heapBuffersAndArraysLargerThanTheBounceBuffer() throws Exception {
        byte[] data = randomBytes(1_000_003);
        try (CephFile f = mount.open(dir + "/heap", O_CREAT | O_RDWR | O_TRUNC, 0644)) {
            assertEquals(data.length, f.write(ByteBuffer.wrap(data), 0));
            ByteBuffer in = ByteBuffer.allocate(data.length);
            assertEquals(data.length, f.read(in, 0));
            assertArrayEquals(data, in.array());
            byte[] part = new byte[100];
            assertEquals(50, f.read(part, 10, 50, 1000));
            for (int i = 0; i < 50; i++) {
                assertEquals(data[1000 + i], part[10 + i]);
            }
            assertEquals(20, f.write(part, 10, 20, 5));
            assertEquals(data.length, f.stat().size());
        }
    }

    @Test
    void sequentialReadsAndWritesUseTheFileOffset() throws Exception {
        try (CephFile f = mount.open(dir + "/seq", O_CREAT | O_RDWR | O_TRUNC, 0644)) {
            f.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.UTF_8)));
            f.write(ByteBuffer.wrap("world".getBytes(StandardCharsets.UTF_8)));
            assertEquals(11, f.seek(0, CephFile.SEEK_CUR));
            assertEquals(0, f.seek(0, CephFile.SEEK_SET));
            ByteBuffer b = ByteBuffer.allocate(5);
            f.read(b);
            assertEquals("hello", new String(b.array(), StandardCharsets.UTF_8));
            assertEquals(11, f.seek(0, CephFile.SEEK_END));
            assertThrows(IllegalArgumentException.class, () -> f.seek(-1, CephFile.SEEK_SET));
            assertThrows(IllegalArgumentException.class, () -> f.seek(0, 7));
        }
    }

    @Test
    void fsyncTruncateAllocateAndFstat() throws Exception {
        try (CephFile f = mount.open(dir + "/sync", O_CREAT | O_RDWR | O_TRUNC, 0600)) {
            f.write(ByteBuffer.wrap(randomBytes(8192)), 0);
            f.fsync(false);
            f.fsync(true);
            f.truncate(100);
            FileAttributes a = f.stat();
            assertEquals(100, a.size());
            assertTrue(a.isRegularFile());
            assertEquals(0600, a.permissions());
            assertTrue(a.modifyNanos() > 0);
            // CephFS implements fallocate only partly: mode 0 may give EOPNOTSUPP; either way it names the call
            try {
                f.allocate(0, 0, 4096);
            } catch (CephFileSystemException e) {
                assertEquals(Errno.EOPNOTSUPP, e.errno());
                assertTrue(e.getMessage().contains("ceph_fallocate"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> f.truncate(-1));
            assertThrows(IllegalArgumentException.class, () -> f.allocate(0, -1, 10));
        }
    }

    @Test
    void openFlagsAreHonoured() throws Exception {
        String p = dir + "/flags";
        mount.open(p, O_CREAT | O_EXCL | O_WRONLY, 0644).close();
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> mount.open(p, O_CREAT | O_EXCL | O_WRONLY, 0644));
        assertTrue(e.getMessage().contains(p) && e.getMessage().contains("ceph_open: EEXIST"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> mount.open(dir + "/missing", O_RDONLY, 0));
        try (CephFile ro = mount.open(p, O_RDONLY, 0)) {
            CephFileSystemException w = assertThrows(CephFileSystemException.class,
                    () -> ro.write(ByteBuffer.wrap(new byte[1]), 0));
            assertEquals(Errno.EBADF, w.errno());
        }
    }

    @Test
    void locksExcludeOtherOwnersAndOtherClients() throws Exception {
        String p = dir + "/lock";
        try (CephFile a = mount.open(p, O_CREAT | O_RDWR, 0644);
             CephFile b = mount.open(p, O_RDWR, 0)) {
            assertTrue(a.lock(LockMode.EXCLUSIVE, false, 1));
            assertFalse(b.lock(LockMode.EXCLUSIVE, false, 2), "another owner must not get an exclusive lock");
            assertFalse(b.lock(LockMode.SHARED, false, 2));
            try (CephMount other = TestCluster.mounted(); CephFile c = other.open(p, O_RDWR, 0)) {
                assertFalse(c.lock(LockMode.SHARED, false, 3), "another client must not get the lock");
                a.unlock(1);
                assertTrue(c.lock(LockMode.SHARED, true, 3));
                assertTrue(b.lock(LockMode.SHARED, false, 2), "shared locks coexist");
                assertFalse(a.lock(LockMode.EXCLUSIVE, false, 1));
                c.unlock(3);
                b.unlock(2);
                assertTrue(a.lock(LockMode.EXCLUSIVE, true, 1));
                a.unlock(1);
            }
        }
    }

    @Test
    void useAfterCloseIsAnIllegalStateNotACrash() throws Exception {
        CephFile f = mount.open(dir + "/closed", O_CREAT | O_RDWR, 0644);
        f.close();
        f.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.read(ByteBuffer.allocateDirect(10), 0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, f::stat);
        assertThrows(IllegalStateException.class, () -> f.lock(LockMode.SHARED, false, 1));
        assertThrows(IllegalArgumentException.class, () -> mount.open(dir + "/x", O_CREAT, 0100644));
    }

    @Test
    void badArgumentsAreRefusedInJava() throws Exception {
        try (CephFile f = mount.open(dir + "/args", O_CREAT | O_RDWR, 0644)) {
            assertThrows(IllegalArgumentException.class, () -> f.read(ByteBuffer.allocateDirect(4), -2));
            assertThrows(IllegalArgumentException.class, () -> f.write(ByteBuffer.allocateDirect(4), -5));
            assertThrows(IndexOutOfBoundsException.class, () -> f.read(new byte[4], 2, 3, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> f.write(new byte[4], -1, 1, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> f.read(ByteBuffer.allocateDirect(4).asReadOnlyBuffer(), 0));
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
