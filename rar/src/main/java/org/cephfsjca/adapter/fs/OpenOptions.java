package org.cephfsjca.adapter.fs;

import static org.cephfsjca.libcephfs.OpenFlags.O_APPEND;
import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_EXCL;
import static org.cephfsjca.libcephfs.OpenFlags.O_NOFOLLOW;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;
import static org.cephfsjca.libcephfs.OpenFlags.O_WRONLY;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link OpenOption}s turned into {@code ceph_open} flags, with the rules of {@link java.nio.file.Files} and
 * {@link java.nio.channels.FileChannel#open}: the same options mean the same thing here as on a local file.
 * SYNC and DSYNC become an fsync when the file is closed (or after {@code write}), not one per write call.
 */
final class OpenOptions {

    /** What fsync, if any, a SYNC or DSYNC option asks for at close. */
    enum Sync {
        NONE, DATA, FULL
    }

    /** Mode of files these options create. */
    static final int FILE_MODE = 0644;

    final int flags;
    final boolean read;
    final boolean write;
    final boolean append;
    final Sync sync;

    private OpenOptions(int flags, boolean read, boolean write, boolean append, Sync sync) {
        this.flags = flags;
        this.read = read;
        this.write = write;
        this.append = append;
        this.sync = sync;
    }

    /**
     * Options of {@code write} and {@code newOutputStream}: none means CREATE, TRUNCATE_EXISTING, WRITE (as
     * {@link java.nio.file.Files#newOutputStream}); READ is refused.
     */
    static OpenOptions forWrite(OpenOption... options) {
        Set<StandardOpenOption> set = parse(options);
        if (set.isEmpty()) {
            set = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        if (set.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ is not allowed when writing a file or opening an output stream");
        }
        set.add(StandardOpenOption.WRITE);
        return build(set, options);
    }

    /**
     * Options of {@code openChannel}: none means READ; WRITE or APPEND without READ opens write-only (as
     * {@link java.nio.channels.FileChannel#open}).
     */
    static OpenOptions forChannel(OpenOption... options) {
        Set<StandardOpenOption> set = parse(options);
        if (!set.contains(StandardOpenOption.WRITE) && !set.contains(StandardOpenOption.APPEND)) {
            set.add(StandardOpenOption.READ);
        }
        if (set.contains(StandardOpenOption.APPEND) && set.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ + APPEND is not allowed");
        }
        return build(set, options);
    }

    private static OpenOptions build(Set<StandardOpenOption> set, OpenOption[] options) {
        boolean append = set.contains(StandardOpenOption.APPEND);
        boolean write = append || set.contains(StandardOpenOption.WRITE);
        boolean read = set.contains(StandardOpenOption.READ);
        if (append && set.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING is not allowed");
        }
        int flags = read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY;
        if (write) {
            // like FileChannel.open: creation and truncation only apply when the file is opened for writing
            if (set.contains(StandardOpenOption.CREATE_NEW)) {
                flags |= O_CREAT | O_EXCL;
            } else if (set.contains(StandardOpenOption.CREATE)) {
                flags |= O_CREAT;
            }
            if (set.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                flags |= O_TRUNC;
            }
        }
        if (append) {
            flags |= O_APPEND;
        }
        for (OpenOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                flags |= O_NOFOLLOW;
            }
        }
        Sync sync = set.contains(StandardOpenOption.SYNC) ? Sync.FULL
                : set.contains(StandardOpenOption.DSYNC) ? Sync.DATA : Sync.NONE;
        return new OpenOptions(flags, read, write, append, sync);
    }

    private static Set<StandardOpenOption> parse(OpenOption[] options) {
        if (options == null) {
            throw new IllegalArgumentException("options array is null");
        }
        Set<StandardOpenOption> set = EnumSet.noneOf(StandardOpenOption.class);
        for (OpenOption o : options) {
            if (o == null) {
                throw new IllegalArgumentException("an open option is null");
            }
            if (o == LinkOption.NOFOLLOW_LINKS) {
                continue; // a flag of its own, see build()
            }
            if (!(o instanceof StandardOpenOption)) {
                throw new UnsupportedOperationException("open option " + o + " is not supported by CephFS");
            }
            StandardOpenOption s = (StandardOpenOption) o;
            switch (s) {
                case DELETE_ON_CLOSE:
                case SPARSE:
                    throw new UnsupportedOperationException("open option " + s + " is not supported by CephFS");
                default:
                    set.add(s);
            }
        }
        return set;
    }

    /** Short form for messages and toString. */
    @Override
    public String toString() {
        return (read && write ? "rw" : write ? "w" : "r") + (append ? "+append" : "")
                + (sync == Sync.NONE ? "" : "+" + sync.name().toLowerCase());
    }
}
