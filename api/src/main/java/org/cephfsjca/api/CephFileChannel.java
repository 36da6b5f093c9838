package org.cephfsjca.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * An open file with positional I/O. Direct {@link ByteBuffer}s are passed to libcephfs with no copy.
 * Positional calls do not move {@link #position()} and may run concurrently.
 */
public interface CephFileChannel extends SeekableByteChannel {

    /** The path it was opened with. */
    String path();

    /** Reads at {@code position}; returns bytes read, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes at {@code position}; returns bytes written. */
    int write(ByteBuffer src, long position) throws IOException;

    /** fsync: data (and metadata when {@code metaData}) is on the OSDs when this returns. */
    void force(boolean metaData) throws IOException;

    /** Attributes of the open file. */
    FileAttributes stat() throws IOException;

    @Override
    CephFileChannel position(long newPosition) throws IOException;

    @Override
    CephFileChannel truncate(long size) throws IOException;
}
