package org.cephfsjca.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The test server's server.log, read from a mark on: what a stretch of requests made the server write. */
public final class ServerLog {

    private final Path file;
    private final long mark;

    private ServerLog(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    public static Path path() {
        return ItEnv.jbossHome().resolve("standalone/log/server.log");
    }

    /** Marks the end of the log now. */
    public static ServerLog mark() {
        Path f = path();
        return new ServerLog(f, f.toFile().length());
    }

    /** All of {@code file} (the log of a server with a base directory of its own), from its first line. */
    public static ServerLog whole(Path file) {
        return new ServerLog(file, 0);
    }

    /** What was written since the mark (from the start of the file if it was rotated meanwhile). */
    public String since() {
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "r")) {
            long from = r.length() < mark ? 0 : mark;
            byte[] b = new byte[(int) (r.length() - from)];
            r.seek(from);
            r.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    public List<String> lines() {
        return since().lines().collect(Collectors.toList());
    }

    /** Stack-trace lines ({@code \tat ...}, {@code Caused by: ...}) written since the mark. */
    public List<String> stackTraceLines() {
        return lines().stream().filter(l -> l.matches("\\s+at .*") || l.startsWith("Caused by:")
                || l.matches("\\s+\\.\\.\\. \\d+ more")).collect(Collectors.toList());
    }

    /** WARN/WARNING/ERROR lines written since the mark. */
    public List<String> warnings() {
        return lines().stream().filter(l -> l.matches("\\S+ \\S+ (WARN|WARNING|ERROR|SEVERE) .*"))
                .collect(Collectors.toList());
    }
}
