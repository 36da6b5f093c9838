package org.cephfsjca.libcephfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The struct offsets hard-coded in {@link Statx}, {@link CephDirectory} and {@link CephMount#statfs} against
 * what the C compiler says with libcephfs's own header and {@code -D_FILE_OFFSET_BITS=64}.
 */
class StructLayoutTest {

    private static final String PROGRAM = String.join("\n",
            "#define _FILE_OFFSET_BITS 64",
            "#include <stdio.h>",
            "#include <stddef.h>",
            "#include <dirent.h>",
            "#include <sys/statvfs.h>",
            "#include <cephfs/libcephfs.h>",
            "#define O(s,f) printf(#s \".\" #f \"=%zu\\n\", offsetof(struct s, f))",
            "int main(void) {",
            "  printf(\"ceph_statx=%zu\\n\", sizeof(struct ceph_statx));",
            "  O(ceph_statx, stx_blksize); O(ceph_statx, stx_nlink); O(ceph_statx, stx_uid);",
            "  O(ceph_statx, stx_gid); O(ceph_statx, stx_mode); O(ceph_statx, stx_ino); O(ceph_statx, stx_size);",
            "  O(ceph_statx, stx_blocks); O(ceph_statx, stx_atime); O(ceph_statx, stx_ctime);",
            "  O(ceph_statx, stx_mtime); O(ceph_statx, stx_btime);",
            "  printf(\"dirent=%zu\\n\", sizeof(struct dirent));",
            "  O(dirent, d_ino); O(dirent, d_type); O(dirent, d_name);",
            "  printf(\"statvfs=%zu\\n\", sizeof(struct statvfs));",
            "  O(statvfs, f_bsize); O(statvfs, f_frsize); O(statvfs, f_blocks); O(statvfs, f_bfree);",
            "  O(statvfs, f_bavail); O(statvfs, f_files); O(statvfs, f_ffree); O(statvfs, f_namemax);",
            "  return 0;",
            "}", "");

    /** The C program and its binary: JUnit deletes the directory after the test, passed or failed. */
    @TempDir
    Path dir;

    @Test
    void javaOffsetsMatchTheCompiler() throws Exception {
        Path src = dir.resolve("layout.c");
        Path exe = dir.resolve("layout");
        Files.writeString(src, PROGRAM);
        run("cc", "-o", exe.toString(), src.toString());
        Map<String, Long> c = new HashMap<>();
        for (String line : run(exe.toString()).split("\n")) {
            String[] kv = line.split("=");
            c.put(kv[0], Long.parseLong(kv[1].trim()));
        }
        assertEquals(Statx.SIZE, c.get("ceph_statx"));
        assertEquals(Statx.BLKSIZE, c.get("ceph_statx.stx_blksize"));
        assertEquals(Statx.NLINK, c.get("ceph_statx.stx_nlink"));
        assertEquals(Statx.UID, c.get("ceph_statx.stx_uid"));
        assertEquals(Statx.GID, c.get("ceph_statx.stx_gid"));
        assertEquals(Statx.MODE, c.get("ceph_statx.stx_mode"));
        assertEquals(Statx.INO, c.get("ceph_statx.stx_ino"));
        assertEquals(Statx.FILE_SIZE, c.get("ceph_statx.stx_size"));
        assertEquals(Statx.BLOCKS, c.get("ceph_statx.stx_blocks"));
        assertEquals(Statx.ATIME, c.get("ceph_statx.stx_atime"));
        assertEquals(Statx.CTIME, c.get("ceph_statx.stx_ctime"));
        assertEquals(Statx.MTIME, c.get("ceph_statx.stx_mtime"));
        assertEquals(Statx.BTIME, c.get("ceph_statx.stx_btime"));
        assertEquals(CephDirectory.DIRENT_SIZE, c.get("dirent"));
        assertEquals(CephDirectory.D_INO, c.get("dirent.d_ino"));
        assertEquals(CephDirectory.D_TYPE, c.get("dirent.d_type"));
        assertEquals(CephDirectory.D_NAME, c.get("dirent.d_name"));
        // CephMount.statfs reads these offsets
        assertEquals(0, c.get("statvfs.f_bsize"));
        assertEquals(8, c.get("statvfs.f_frsize"));
        assertEquals(16, c.get("statvfs.f_blocks"));
        assertEquals(24, c.get("statvfs.f_bfree"));
        assertEquals(32, c.get("statvfs.f_bavail"));
        assertEquals(40, c.get("statvfs.f_files"));
        assertEquals(48, c.get("statvfs.f_ffree"));
        assertEquals(80, c.get("statvfs.f_namemax"));
        assertTrue(c.get("statvfs") <= 512, "statvfs must fit the 512-byte scratch buffer");
        assertTrue(c.get("ceph_statx") <= 512, "statx must fit the 512-byte scratch buffer");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
