package org.cephfsjca.adapter.fs;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.cephfsjca.libcephfs.OpenFlags.O_APPEND;
import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_EXCL;
import static org.cephfsjca.libcephfs.OpenFlags.O_NOFOLLOW;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;

import org.junit.jupiter.api.Test;

/** OpenOption to O_* flag mapping, with the rules of java.nio.file. */
class OpenOptionsTest {

    @Test
    void writeDefaultsToCreateTruncateWrite() {
        OpenOptions o = OpenOptions.forWrite();
        assertEquals(O_WRONLY | O_CREAT | O_TRUNC, o.flags);
        assertTrue(o.write);
        assertFalse(o.read);
        assertEquals(OpenOptions.Sync.NONE, o.sync);
    }

    @Test
    void writeOptions() {
        assertEquals(O_WRONLY | O_CREAT | O_EXCL, OpenOptions.forWrite(CREATE_NEW).flags);
        assertEquals(O_WRONLY | O_CREAT | O_EXCL, OpenOptions.forWrite(CREATE, CREATE_NEW).flags);
        assertEquals(O_WRONLY | O_CREAT | O_APPEND, OpenOptions.forWrite(CREATE, APPEND).flags);
        assertEquals(O_WRONLY | O_APPEND, OpenOptions.forWrite(APPEND).flags);
        assertEquals(O_WRONLY, OpenOptions.forWrite(WRITE).flags);
        assertEquals(O_WRONLY | O_CREAT | O_NOFOLLOW, OpenOptions.forWrite(CREATE, LinkOption.NOFOLLOW_LINKS).flags);
        assertEquals(OpenOptions.Sync.FULL, OpenOptions.forWrite(CREATE, SYNC).sync);
        assertEquals(OpenOptions.Sync.DATA, OpenOptions.forWrite(CREATE, DSYNC).sync);
        assertEquals(OpenOptions.Sync.FULL, OpenOptions.forWrite(DSYNC, SYNC).sync);
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.forWrite(READ));
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.forWrite(APPEND, TRUNCATE_EXISTING));
    }

    @Test
    void channelDefaultsToRead() {
        assertEquals(O_RDONLY, OpenOptions.forChannel().flags);
        assertTrue(OpenOptions.forChannel().read);
        assertFalse(OpenOptions.forChannel().write);
        assertEquals(O_RDONLY, OpenOptions.forChannel(CREATE, TRUNCATE_EXISTING).flags,
                "create and truncate only apply to writable channels");
        assertEquals(O_WRONLY | O_CREAT, OpenOptions.forChannel(WRITE, CREATE).flags);
        assertEquals(O_RDWR | O_CREAT | O_TRUNC, OpenOptions.forChannel(READ, WRITE, CREATE, TRUNCATE_EXISTING).flags);
        assertEquals(O_WRONLY | O_APPEND, OpenOptions.forChannel(APPEND).flags);
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.forChannel(READ, APPEND));
    }

    @Test
    void unsupportedOptionsAreNamed() {
        for (OpenOption o : new OpenOption[] {DELETE_ON_CLOSE, SPARSE, new OpenOption() {
            @Override
            public String toString() {
                return "CUSTOM";
            }
        }}) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> OpenOptions.forWrite(CREATE, o));
            assertTrue(e.getMessage().contains(o.toString()), e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> OpenOptions.forChannel(o));
        }
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.forWrite(CREATE, null));
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.forWrite((OpenOption[]) null));
    }
}
