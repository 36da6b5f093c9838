package org.cephfsjca.adapter.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.Errno;
import org.cephfsjca.api.FileAttributes;
import org.cephfsjca.api.FileSystemStats;
import org.cephfsjca.api.FileType;
import org.cephfsjca.api.Quota;
import org.cephfsjca.libcephfs.CephMount;

/** Every CephConnection method end to end against the local cluster (streams, channels, locks have their own). */
class MountedConnectionTest extends ConnectionTestSupport {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reading a directory as a file fails with EISDIR (libcephfs would wait forever in ceph_read). */
    @Test
    void readingADirectoryAsAFileFailsAtOnce() throws Exception {
        String d = dir + "/not-a-file";
        c.mkdirs(d);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            for (org.junit.jupiter.api.function.Executable call : new org.junit.jupiter.api.function.Executable[] {
                    () -> c.readAllBytes(d),
                    () -> c.newInputStream(d).read(),
                    () -> c.openChannel(d).read(java.nio.ByteBuffer.allocate(8), 0)}) {
                org.cephfsjca.api.CephFileSystemException e =
                        assertThrows(org.cephfsjca.api.CephFileSystemException.class, call);
                assertEquals(org.cephfsjca.api.Errno.EISDIR, e.errno(), e.getMessage());
            }
        });
        assertEquals(2, c.openResourceCount(), "the stream and the channel stay open (tracked) until closed");
    }

    @Test
    void writeReadStatExists() throws Exception {
        String p = dir + "/hello.txt";
        assertFalse(c.exists(p));
        c.write(p, utf8("hello"));
        assertTrue(c.exists(p));
        String x = dir + "/exec";
        c.write(x, utf8("#!"));
        mount.chmod(x, 0755); // else the walk through the file stops at EACCES, not ENOTDIR
        assertFalse(c.exists(x + "/child"), "below a file: ENOTDIR is 'does not exist'");
        assertArrayEquals(utf8("hello"), c.readAllBytes(p));
        FileAttributes a = c.stat(p);
        assertTrue(a.isRegularFile());
        assertEquals(5, a.size());
        assertEquals(0644, a.permissions(), "new files get mode 0644");
        // no options again: truncate, then write
        c.write(p, utf8("hi"));
        assertArrayEquals(utf8("hi"), c.readAllBytes(p));
        // paths are normalized before reaching Ceph
        assertArrayEquals(utf8("hi"), c.readAllBytes(dir + "/./x/..//hello.txt"));
        assertThrows(NoSuchFileException.class, () -> c.readAllBytes(dir + "/missing"));
        assertThrows(NoSuchFileException.class, () -> c.stat(dir + "/missing"));
        assertArrayEquals(new byte[0], writeAndRead(dir + "/empty", new byte[0]));
    }

    private byte[] writeAndRead(String p, byte[] data) throws Exception {
        c.write(p, data);
        return c.readAllBytes(p);
    }

    @Test
    void readAllBytesOfALargerFile() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        assertArrayEquals(data, writeAndRead(dir + "/large", data));
    }

    @Test
    void readAllBytesRefusesMoreThanOneGiB() throws Exception {
        String p = dir + "/sparse-huge";
        c.write(p, new byte[0]);
        mount.truncate(p, (1L << 30) + 1); // sparse: no data written
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> c.readAllBytes(p));
        assertTrue(e.getMessage().contains(p) && e.getMessage().contains("1073741825"), e.getMessage());
        c.delete(p);
    }

    @Test
    void writeOptions() throws Exception {
        String p = dir + "/opts";
        c.write(p, utf8("one"), StandardOpenOption.CREATE_NEW);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> c.write(p, utf8("two"), StandardOpenOption.CREATE_NEW));
        assertTrue(e.getMessage().contains(p), e.getMessage());
        c.write(p, utf8("+two"), StandardOpenOption.APPEND);
        c.write(p, utf8("+three"), StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        c.write(p, utf8("+four"), StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
        assertEquals("one+two+three+four", new String(c.readAllBytes(p), StandardCharsets.UTF_8));
        // WRITE alone overwrites from the start without truncating
        c.write(p, utf8("ONE"), StandardOpenOption.WRITE);
        assertEquals("ONE+two+three+four", new String(c.readAllBytes(p), StandardCharsets.UTF_8));
        c.write(p, utf8("x"), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals("x", new String(c.readAllBytes(p), StandardCharsets.UTF_8));
        // without CREATE a missing file stays missing
        assertThrows(NoSuchFileException.class, () -> c.write(dir + "/nocreate", utf8("x"),
                StandardOpenOption.WRITE));
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> c.write(p, utf8("x"), StandardOpenOption.DELETE_ON_CLOSE));
        assertTrue(u.getMessage().contains("DELETE_ON_CLOSE"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.write(p, utf8("x"), StandardOpenOption.READ));
        assertThrows(IllegalArgumentException.class, () -> c.write(p, null));
        assertEquals("x", new String(c.readAllBytes(p), StandardCharsets.UTF_8), "failed calls changed nothing");
        assertEquals(0, c.openResourceCount());
    }

    @Test
    void directories() throws Exception {
        String d = dir + "/dirs";
        c.createDirectory(d);
        assertTrue(c.stat(d).isDirectory());
        assertEquals(0755, c.stat(d).permissions(), "new directories get mode 0755");
        assertThrows(FileAlreadyExistsException.class, () -> c.createDirectory(d));
        assertThrows(NoSuchFileException.class, () -> c.createDirectory(d + "/no/parent"));
        c.mkdirs(d + "/a/b/c");
        c.mkdirs(d + "/a/b/c"); // existing is fine
        c.mkdirs(d);
        assertTrue(c.stat(d + "/a/b/c").isDirectory());
        c.write(d + "/f1", utf8("1"));
        c.write(d + "/f2", utf8("2"));
        List<DirEntry> entries = c.list(d);
        Set<String> names = entries.stream().map(DirEntry::name).collect(Collectors.toSet());
        assertEquals(Set.of("a", "f1", "f2"), names);
        assertEquals(FileType.DIRECTORY, entries.stream().filter(x -> x.name().equals("a")).findFirst()
                .orElseThrow().type());
        assertThrows(NotDirectoryException.class, () -> c.list(d + "/f1"));
        assertThrows(NoSuchFileException.class, () -> c.list(d + "/missing"));
        // a file where a directory should go
        assertThrows(FileAlreadyExistsException.class, () -> c.mkdirs(d + "/f1"));
    }

    @Test
    void deleteAndRename() throws Exception {
        String d = dir + "/del";
        c.mkdirs(d + "/sub");
        c.write(d + "/sub/f", utf8("x"));
        assertThrows(DirectoryNotEmptyException.class, () -> c.delete(d + "/sub"));
        c.delete(d + "/sub/f");
        assertFalse(c.exists(d + "/sub/f"));
        c.delete(d + "/sub");
        assertFalse(c.exists(d + "/sub"));
        assertThrows(NoSuchFileException.class, () -> c.delete(d + "/sub"));

        c.write(d + "/a", utf8("A"));
        c.write(d + "/b", utf8("B"));
        c.rename(d + "/a", d + "/b"); // replaces
        assertFalse(c.exists(d + "/a"));
        assertArrayEquals(utf8("A"), c.readAllBytes(d + "/b"));
        assertThrows(NoSuchFileException.class, () -> c.rename(d + "/a", d + "/c"));

        // a symbolic link is deleted itself, not its target
        mount.symlink(d + "/b", d + "/link");
        assertTrue(c.stat(d + "/link", false).isSymbolicLink());
        assertTrue(c.stat(d + "/link", true).isRegularFile());
        assertTrue(c.stat(d + "/link").isRegularFile());
        c.delete(d + "/link");
        assertTrue(c.exists(d + "/b"));
        assertThrows(IllegalArgumentException.class, () -> c.delete("/"));
        assertThrows(IllegalArgumentException.class, () -> c.delete(dir + "/../../.."));
    }

    @Test
    void deleteRecursivelyNeverFollowsLinks() throws Exception {
        String keep = dir + "/keep";
        c.mkdirs(keep);
        c.write(keep + "/precious", utf8("keep me"));
        String tree = dir + "/tree";
        c.mkdirs(tree + "/a/b/c");
        for (int i = 0; i < 50; i++) {
            c.write(tree + "/a/f" + i, utf8("x" + i));
        }
        c.write(tree + "/a/b/c/deep", utf8("deep"));
        mount.symlink(keep, tree + "/a/link-to-keep");
        mount.symlink(keep + "/precious", tree + "/a/b/file-link");
        mount.symlink("/no/such/target", tree + "/dangling");

        c.deleteRecursively(tree);
        assertFalse(c.exists(tree));
        assertArrayEquals(utf8("keep me"), c.readAllBytes(keep + "/precious"), "link targets are untouched");

        c.deleteRecursively(tree); // missing is fine
        c.write(dir + "/single", utf8("x"));
        c.deleteRecursively(dir + "/single"); // a plain file
        assertFalse(c.exists(dir + "/single"));
        mount.symlink(keep, dir + "/top-link");
        c.deleteRecursively(dir + "/top-link"); // a link to a directory, given directly
        assertFalse(c.exists(dir + "/top-link"));
        assertTrue(c.exists(keep + "/precious"));
        assertThrows(IllegalArgumentException.class, () -> c.deleteRecursively("/"));
        assertThrows(IllegalArgumentException.class, () -> c.deleteRecursively("/a/../.."));
    }

    @Test
    void xattrs() throws Exception {
        String p = dir + "/xattr";
        c.write(p, utf8("x"));
        c.setXattr(p, "user.colour", utf8("blue"));
        assertArrayEquals(utf8("blue"), c.getXattr(p, "user.colour"));
        assertTrue(c.listXattrs(p).contains("user.colour"), c.listXattrs(p).toString());
        c.setXattr(p, "user.colour", utf8("green")); // replace
        assertArrayEquals(utf8("green"), c.getXattr(p, "user.colour"));
        c.removeXattr(p, "user.colour");
        assertFalse(c.listXattrs(p).contains("user.colour"));
        CephFileSystemException e = assertThrows(CephFileSystemException.class,
                () -> c.getXattr(p, "user.colour"));
        assertEquals(Errno.ENODATA, e.errno());
        assertThrows(NoSuchFileException.class, () -> c.getXattr(dir + "/missing", "user.x"));
        assertThrows(IllegalArgumentException.class, () -> c.setXattr(p, "user.x", null));
    }

    @Test
    void quotas() throws Exception {
        String d = dir + "/quota";
        c.mkdirs(d);
        assertEquals(Quota.UNLIMITED, c.getQuota(d));
        c.setQuota(d, new Quota(10L << 20, 1000));
        assertEquals(new Quota(10L << 20, 1000), c.getQuota(d));
        assertEquals("1000", new String(c.getXattr(d, "ceph.quota.max_files"), StandardCharsets.UTF_8).trim());
        c.setQuota(d, new Quota(0, 5)); // 0 removes the byte limit
        assertEquals(new Quota(0, 5), c.getQuota(d));
        c.setQuota(d, Quota.UNLIMITED);
        assertEquals(Quota.UNLIMITED, c.getQuota(d));
        c.write(d + "/file", utf8("x"));
        assertThrows(NotDirectoryException.class, () -> c.getQuota(d + "/file"));
        assertThrows(NotDirectoryException.class, () -> c.setQuota(d + "/file", Quota.UNLIMITED));
        assertThrows(NoSuchFileException.class, () -> c.getQuota(d + "/missing"));
        assertThrows(IllegalArgumentException.class, () -> c.setQuota(d, null));
    }

    @Test
    void statfs() throws Exception {
        FileSystemStats s = c.statfs();
        assertTrue(s.totalBytes() > 0, s.toString());
        assertTrue(s.availableBytes() <= s.totalBytes(), s.toString());
    }

    @Test
    void badPathsAreRefusedBeforeCeph() {
        assertThrows(IllegalArgumentException.class, () -> c.stat("relative"));
        assertThrows(IllegalArgumentException.class, () -> c.stat("/../x"));
        assertThrows(IllegalArgumentException.class, () -> c.write("/a\0b", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> c.exists(null));
        assertThrows(IllegalArgumentException.class, () -> c.rename(dir + "/x", "/.."));
        // an over-long component: the binding's check
        assertThrows(IllegalArgumentException.class, () -> c.stat(dir + "/" + "n".repeat(256)));
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        MountedConnection d = new MountedConnection(mount, null);
        assertFalse(d.isClosed());
        d.close();
        assertTrue(d.isClosed());
        d.close(); // idempotent
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> d.stat("/"), () -> d.stat("/", false), () -> d.exists("/"), () -> d.list("/"),
                () -> d.createDirectory(dir + "/x"), () -> d.mkdirs(dir + "/x"), () -> d.delete(dir + "/x"),
                () -> d.deleteRecursively(dir + "/x"), () -> d.rename(dir + "/x", dir + "/y"),
                () -> d.readAllBytes(dir + "/x"), () -> d.write(dir + "/x", new byte[0]),
                () -> d.newInputStream(dir + "/x"), () -> d.newOutputStream(dir + "/x"),
                () -> d.openChannel(dir + "/x"), () -> d.getXattr(dir, "user.x"),
                () -> d.setXattr(dir, "user.x", new byte[0]), () -> d.listXattrs(dir),
                () -> d.removeXattr(dir, "user.x"), () -> d.setQuota(dir, Quota.UNLIMITED),
                () -> d.getQuota(dir), d::statfs, () -> d.tryLock(dir, org.cephfsjca.api.LockMode.SHARED),
                () -> d.lock(dir, org.cephfsjca.api.LockMode.SHARED, java.time.Duration.ZERO));
        for (org.junit.jupiter.api.function.Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("connection is closed", e.getMessage());
        }
        assertFalse(c.exists(dir + "/x"), "nothing reached Ceph");
    }

    @Test
    void toStringIsShort() throws Exception {
        String s = c.toString();
        assertTrue(s.startsWith("MountedConnection[open, 0 open, CephMount[client.admin"), s);
        try (var ch = c.openChannel(dir + "/ts", StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertTrue(c.toString().contains("1 open"), c.toString());
            assertEquals("CephFileChannel[" + dir + "/ts, w, position=0]", ch.toString());
        }
        assertNotNull(c.mount());
        c.close();
        assertTrue(c.toString().startsWith("MountedConnection[closed"), c.toString());
    }
}
