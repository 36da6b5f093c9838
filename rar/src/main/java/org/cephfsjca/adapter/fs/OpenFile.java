package org.cephfsjca.adapter.fs;

import org.cephfsjca.adapter.fault.FatalErrors;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.cephfsjca.libcephfs.CephFile;

/**
 * The part every stream, channel and lock shares: the native file, the session it was opened under, the
 * tracker to leave when closed, and a closed flag. {@link #io} runs a native call and turns its failures into what
 * the resource's own contract promises.
 */
final class OpenFile {

    /** A call on the native file. */
    @FunctionalInterface
    interface Io<T> {
        T run() throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(OpenFile.class.getName());

    final CephFile file;
    final String path;
    final SessionBinding session;
    private final ResourceTracker tracker;
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenFile(CephFile file, String path, SessionBinding session, ResourceTracker tracker) {
        this.file = file;
        this.path = path;
        this.session = session;
        this.tracker = tracker;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Marks the resource closed; true for the one caller that closed it. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Closes the native file (never blocks, see CephFile#close) and leaves the tracker. */
    void closeFile(TrackedResource owner) {
        try {
            file.close();
        } finally {
            tracker.unregister(owner);
        }
    }

    /**
     * Runs {@code call}. A fatal failure is reported to the session's listener and rethrown. Otherwise, if the
     * resource was closed meanwhile (by another thread: the connection closing), the binding's "file is closed"
     * becomes {@code whenClosed}, the exception the resource's contract specifies for use after close.
     */
    <T> T io(Io<T> call, Supplier<? extends IOException> whenClosed) throws IOException {
        try {
            return call.run();
        } catch (IllegalStateException e) {
            if (!FatalErrors.isFatal(e) && closed.get()) {
                IOException c = whenClosed.get();
                c.initCause(e);
                throw c;
            }
            session.reportIfFatal(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            session.reportIfFatal(e);
            throw e;
        }
    }

    /** Like {@link #io}, for cleanup paths that must not throw: failures are reported if fatal, then dropped. */
    void quietly(Io<?> call) {
        try {
            call.run();
        } catch (IOException | RuntimeException e) {
            session.reportIfFatal(e);
            LOG.log(System.Logger.Level.DEBUG, () -> "while closing " + PathNames.quote(path) + ": " + e);
        }
    }
}
