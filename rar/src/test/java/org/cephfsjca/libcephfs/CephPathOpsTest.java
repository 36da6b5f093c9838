package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileSystemStats;
import org.cephfsjca.api.FileType;

/** Path calls, directory streams, xattrs and quotas, statfs, and their errors. */
class CephPathOpsTest {

    private static CephMount mount;
    private static String dir;

    @BeforeAll
    static void mount() throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, CephPathOpsTest.class);
    }

    @AfterAll
    static void unmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    private static void touch(String path, String content) throws Exception {
        try (CephFile f = mount.open(path, O_CREAT | O_WRONLY, 0644)) {
            f.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
        }
    }

    @Test
    void directoriesCreateListAndRemove() throws Exception {
        String d = dir + "/tree";
        mount.mkdir(d, 0755);
        assertThrows(FileAlreadyExistsException.class, () -> mount.mkdir(d, 0755));
        mount.mkdirs(d + "/a/b/c", 0750);
        mount.mkdirs(d + "/a/b/c", 0750); // existing: fine
        assertTrue(mount.stat(d + "/a/b/c").isDirectory());
        assertEquals(0750, mount.stat(d + "/a/b/c").permissions());
        touch(d + "/a/file", "x");
        NotDirectoryException nd = assertThrows(NotDirectoryException.class, () -> mount.openDirectory(d + "/a/file"));
        assertTrue(nd.getMessage().contains("ceph_opendir: ENOTDIR"), nd.getMessage());
        // Ceph checks search permission first: a 0644 file inside a path gives EACCES, not ENOTDIR
        assertThrows(java.nio.file.AccessDeniedException.class, () -> mount.mkdirs(d + "/a/file/sub", 0755));
        DirectoryNotEmptyException e = assertThrows(DirectoryNotEmptyException.class, () -> mount.rmdir(d + "/a"));
        assertTrue(e.getMessage().contains("ceph_rmdir: ENOTEMPTY"), e.getMessage());
        List<DirEntry> entries = mount.list(d + "/a");
        assertEquals(2, entries.size());
        Set<String> names = new HashSet<>();
        for (DirEntry en : entries) {
            names.add(en.name());
            assertTrue(en.inode() > 0);
        }
        assertEquals(Set.of("b", "file"), names);
        assertEquals(FileType.DIRECTORY, entries.stream().filter(x -> x.name().equals("b")).findFirst().get().type());
        assertEquals(FileType.REGULAR_FILE,
                entries.stream().filter(x -> x.name().equals("file")).findFirst().get().type());
        mount.unlink(d + "/a/file");
        mount.rmdir(d + "/a/b/c");
        assertThrows(NoSuchFileException.class, () -> mount.stat(d + "/a/b/c"));
        assertFalse(mount.exists(d + "/a/b/c"));
    }

    @Test
    void listingSpansManyGetdentsBuffers() throws Exception {
        String d = dir + "/many";
        mount.mkdir(d, 0755);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 700; i++) {
            String name = "f-" + i + (i % 7 == 0 ? "-\u00e9\u4e2d" : "");
            mount.open(d + "/" + name, O_CREAT | O_WRONLY, 0644).close();
            expected.add(name);
        }
        Set<String> seen = new HashSet<>();
        try (CephDirectory it = mount.openDirectory(d)) {
            for (DirEntry e = it.next(); e != null; e = it.next()) {
                assertTrue(seen.add(e.name()), "duplicate " + e.name());
            }
            assertEquals(null, it.next());
        }
        assertEquals(expected, seen);
    }

    /**
     * The name decoder reads d_name 8 bytes at a time and tells ASCII from the same words: every length around the word
     * edges, a non-ASCII character just before the NUL, in the first and in a later word, and the longest name.
     */
    @Test
    void listingDecodesNamesOfEveryLengthAndEncoding() throws Exception {
        String d = dir + "/lengths";
        mount.mkdir(d, 0755);
        Set<String> expected = new HashSet<>();
        for (int len = 1; len <= 26; len++) {
            String ascii = "n".repeat(len);
            expected.add(ascii);
            expected.add(ascii.substring(0, len - 1) + "\u00e9"); // 2 UTF-8 bytes, the last one before the NUL
            expected.add("\u4e2d" + ascii); // 3 bytes in the first word
        }
        expected.add("x".repeat(255)); // NAME_MAX
        expected.add("y".repeat(252) + "\u00e9"); // 254 bytes
        expected.add(".x"); // not . or ..
        expected.add("..x");
        for (String name : expected) {
            mount.open(d + "/" + name, O_CREAT | O_WRONLY, 0644).close();
        }
        Set<String> seen = new HashSet<>();
        for (DirEntry e : mount.list(d)) {
            assertTrue(seen.add(e.name()), "duplicate " + e.name());
            assertEquals(FileType.REGULAR_FILE, e.type(), e.name());
        }
        assertEquals(expected, seen);
    }

    /**
     * libcephfs 16.2.15's ceph_rename marks the target name "renaming" before it looks the source up, and does not
     * clear the mark when that lookup fails: every later lookup of the target name in this client then waits forever
     * (no MDS request in flight). Measured: a rename of a missing source onto a name not yet cached wedged the
     * next unlink/open of that name. The binding must not let it happen, and must still report NoSuchFile.
     */
    @Test
    void renameOfAMissingSourceDoesNotWedgeTheTargetName() throws Exception {
        String target = dir + "/wedge-target";
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> mount.rename(dir + "/wedge-missing", target));
            assertTrue(e.getMessage().contains(dir + "/wedge-missing"), e.getMessage());
            assertFalse(mount.exists(target));
            touch(target, "x");
            assertEquals(1, mount.stat(target).size());
            mount.unlink(target);
        }, "a failed rename must not leave its target name waiting for a rename that never finishes");
    }

    @Test
    void renameLinkSymlinkReadlink() throws Exception {
        String a = dir + "/ren-a";
        String b = dir + "/ren-b";
        touch(a, "content");
        mount.rename(a, b);
        assertFalse(mount.exists(a));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> mount.rename(a, b));
        assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
        mount.link(b, dir + "/hard");
        assertEquals(2, mount.stat(b).links());
        assertEquals(mount.stat(b).inode(), mount.stat(dir + "/hard").inode());
        mount.symlink("ren-b", dir + "/soft");
        assertEquals("ren-b", mount.readlink(dir + "/soft"));
        assertTrue(mount.stat(dir + "/soft", false).isSymbolicLink());
        assertTrue(mount.stat(dir + "/soft", true).isRegularFile());
        assertEquals(7, mount.stat(dir + "/soft").size());
    }

    @Test
    void chmodChownUtimesTruncate() throws Exception {
        String p = dir + "/attrs";
        touch(p, "0123456789");
        mount.chmod(p, 0600);
        assertEquals(0600, mount.stat(p).permissions());
        mount.chown(p, 1234, 5678);
        FileAttributes a = mount.stat(p);
        assertEquals(1234, a.uid());
        assertEquals(5678, a.gid());
        mount.chown(p, -1, 42);
        assertEquals(1234, mount.stat(p).uid());
        long atime = 1_600_000_000_123_456_000L;
        long mtime = 1_500_000_000_654_321_000L;
        mount.setTimes(p, atime, mtime);
        assertEquals(mtime, mount.stat(p).modifyNanos());
        assertEquals(atime, mount.stat(p).accessNanos());
        mount.truncate(p, 4);
        assertEquals(4, mount.stat(p).size());
        assertThrows(IllegalArgumentException.class, () -> mount.truncate(p, -1));
        assertThrows(IllegalArgumentException.class, () -> mount.chmod(p, 010000));
    }

    @Test
    void xattrsAndQuotas() throws Exception {
        String p = dir + "/xattr";
        touch(p, "x");
        mount.setXattr(p, "user.color", "blue");
        assertArrayEquals("blue".getBytes(StandardCharsets.UTF_8), mount.getXattr(p, "user.color"));
        assertThrows(FileAlreadyExistsException.class,
                () -> mount.setXattr(p, "user.color", new byte[] {1}, CephMount.XATTR_CREATE));
        mount.setXattr(p, "user.empty", new byte[0], 0);
        assertEquals(0, mount.getXattr(p, "user.empty").length);
        List<String> names = mount.listXattrs(p);
        assertTrue(names.containsAll(List.of("user.color", "user.empty")), names.toString());
        mount.removeXattr(p, "user.color");
        assertFalse(mount.listXattrs(p).contains("user.color"));
        // CephFS quotas are the ceph.quota.* xattrs of a directory
        String q = dir + "/quota";
        mount.mkdir(q, 0755);
        mount.setXattr(q, "ceph.quota.max_bytes", "1048576");
        mount.setXattr(q, "ceph.quota.max_files", "100");
        assertEquals("1048576", new String(mount.getXattr(q, "ceph.quota.max_bytes"), StandardCharsets.UTF_8));
        assertEquals("100", new String(mount.getXattr(q, "ceph.quota.max_files"), StandardCharsets.UTF_8));
        Exception missing = assertThrows(Exception.class, () -> mount.getXattr(p, "user.nope"));
        assertTrue(missing.getMessage().contains("ceph_getxattr") && missing.getMessage().contains("user.nope"),
                missing.getMessage());
    }

    @Test
    void statfsReportsCapacity() throws Exception {
        FileSystemStats s = mount.statfs("/");
        assertTrue(s.totalBytes() > 0, s.toString());
        assertTrue(s.availableBytes() <= s.totalBytes(), s.toString());
        assertTrue(s.maxNameLength() >= 255, s.toString());
        mount.syncFs();
    }
}
