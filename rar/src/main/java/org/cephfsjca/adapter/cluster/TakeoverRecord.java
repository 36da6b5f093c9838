package org.cephfsjca.adapter.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.cephfsjca.adapter.recovery.LeaseRecord;
import org.cephfsjca.libcephfs.CephFile;

/**
 * What a survivor did when it took a dead peer over: written into the peer's takeover file (for operators and for
 * the other survivors, which then know it is done) and logged.
 */
public record TakeoverRecord(String peer, String instance, String by, Instant at, int sessionsReset, int notFound,
                             int failed, long millis, String proof) {

    private static final int SIZE = 512;

    /** One line for logs and reports. */
    public String summary() {
        return "node " + by + " took over dead node " + peer + " (instance " + instance + ", " + proof + ") at " + at
                + ": " + sessionsReset + " session(s) reset, " + notFound + " not found, " + failed + " failed, "
                + millis + " ms";
    }

    void write(CephFile f) throws IOException {
        String text = "cephfs-jca-takeover v1 peer=" + peer + " instance=" + instance + " by=" + by + " at=" + at
                + " reset=" + sessionsReset + " notFound=" + notFound + " failed=" + failed + " millis=" + millis
                + " proof=" + proof;
        f.write(ByteBuffer.wrap(LeaseRecord.encode(text, SIZE)), 0);
        f.fsync(false);
    }

    /** The record in an open takeover file, or null when none was written yet. */
    static TakeoverRecord read(CephFile f) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        int n = f.read(b, 0);
        String text = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith("cephfs-jca-takeover v1 ")) {
            return null;
        }
        String proof = text.contains(" proof=") ? text.substring(text.indexOf(" proof=") + 7) : "";
        String head = text.contains(" proof=") ? text.substring(0, text.indexOf(" proof=")) : text;
        LeaseRecord r = LeaseRecord.parse(head);
        return new TakeoverRecord(r.field("peer"), r.field("instance"), r.field("by"), parseInstant(r.field("at")),
                intField(r, "reset"), intField(r, "notFound"), intField(r, "failed"), intField(r, "millis"), proof);
    }

    private static int intField(LeaseRecord r, String name) {
        try {
            return Integer.parseInt(r.field(name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant parseInstant(String s) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
