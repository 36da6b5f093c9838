package org.cephfsjca.api;

import java.io.Serializable;

/**
 * One entry of a directory listing ({@code .} and {@code ..} are never reported).
 *
 * @param name  the entry's name within its directory
 * @param inode its inode number
 * @param type  its type as the directory reports it
 */
public record DirEntry(String name, long inode, FileType type) implements Serializable {
}
