package org.cephfsjca.api;

/** The kind of a directory entry or inode, from its mode bits. */
public enum FileType {
    REGULAR_FILE, DIRECTORY, SYMBOLIC_LINK, OTHER;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** The type encoded in a {@code st_mode} value. */
    public static FileType fromMode(int mode) {
        switch (mode & S_IFMT) {
            case S_IFREG: return REGULAR_FILE;
            case S_IFDIR: return DIRECTORY;
            case S_IFLNK: return SYMBOLIC_LINK;
            default: return OTHER;
        }
    }

    /** The type encoded in a {@code dirent.d_type} value (DT_REG 8, DT_DIR 4, DT_LNK 10). */
    public static FileType fromDirentType(int dType) {
        switch (dType) {
            case 8: return REGULAR_FILE;
            case 4: return DIRECTORY;
            case 10: return SYMBOLIC_LINK;
            default: return OTHER;
        }
    }
}
