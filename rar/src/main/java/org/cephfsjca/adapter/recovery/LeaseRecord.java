package org.cephfsjca.adapter.recovery;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDONLY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;

/**
 * One record of a node's lease file (heartbeat, stop marker or takeover marker): space-separated key=value fields
 * ({@code state}, {@code seq}, {@code instance}, {@code host}, {@code pid}, {@code since}, {@code slots}, and for a
 * taken-over node {@code by} and {@code at}). Read by a starting node about its own lease and by peers about
 * theirs; a read that the lease's writer does not let through in time is {@link #UNANSWERED}.
 */
public final class LeaseRecord {

    /** Fixed size of a record on disk: rewritten in place at offset 0. */
    public static final int SIZE = 256;
    /** A bounded read that did not return: the MDS waits for a client that does not give up its caps. */
    public static final LeaseRecord UNANSWERED = new LeaseRecord("");

    private final String text;

    LeaseRecord(String text) {
        this.text = text;
    }

    /** The record's bytes: the text padded with blanks to {@link #SIZE}, newline last. */
    public static byte[] encode(String text) {
        return encode(text, SIZE);
    }

    /** {@code text} as a fixed-size record of {@code size} bytes (rewritten in place): blank-padded, newline last. */
    public static byte[] encode(String text, int size) {
        byte[] record = new byte[size];
        java.util.Arrays.fill(record, (byte) ' ');
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, record, 0, Math.min(b.length, size - 1));
        record[size - 1] = '\n';
        return record;
    }

    /** A record from its text (key=value fields separated by blanks). */
    public static LeaseRecord parse(String text) {
        return new LeaseRecord(text.trim());
    }

    /** Reads the record at {@code path}; null when there is no lease file or it is empty. May block (see above). */
    public static LeaseRecord read(CephMount m, String path) throws IOException {
        try (CephFile f = m.open(path, O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            int n = f.read(b, 0);
            return n <= 0 ? null : new LeaseRecord(new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * {@link #read} on {@code reader}, waiting at most {@code boundMillis}: {@link #UNANSWERED} when it does not
     * return in time (the reading thread stays in libcephfs until the writer's session answers or is reset).
     */
    public static LeaseRecord readBounded(ExecutorService reader, CephMount m, String path, long boundMillis)
            throws IOException, InterruptedException {
        return await(reader.submit(() -> read(m, path)), boundMillis);
    }

    /** Waits at most {@code boundMillis} for a read submitted earlier: {@link #UNANSWERED} when it has not returned. */
    public static LeaseRecord await(Future<LeaseRecord> f, long boundMillis) throws IOException, InterruptedException {
        try {
            return f.get(Math.max(0, boundMillis), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return UNANSWERED;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException ? (IOException) c : new IOException(c);
        }
    }

    public String state() {
        return field("state");
    }

    public boolean stopped() {
        return "stopped".equals(state());
    }

    /** Marked by the survivor that reset this node's sessions after it died. */
    public boolean takenOver() {
        return "taken-over".equals(state());
    }

    public boolean running() {
        return "running".equals(state());
    }

    /** A field's value, or "?" when absent. */
    public String field(String name) {
        for (String part : text.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    /** The same heartbeat: neither the sequence number nor the instance changed. */
    public boolean sameBeat(LeaseRecord other) {
        return other != null && field("seq").equals(other.field("seq"))
                && field("instance").equals(other.field("instance"));
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "(unanswered)" : text;
    }
}
