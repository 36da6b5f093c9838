package org.cephfsjca.example;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.core.StreamingOutput;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephFileChannel;
import org.cephfsjca.api.FileAttributes;

/**
 * Streamed downloads. A download takes a place in the downloads bulkhead (it waits for one: reads are never refused
 * because uploads are busy) and one pooled connection, opens the document, and takes its size from the open file (a
 * rename between a stat and the open could otherwise announce one version's length and send another's bytes). The
 * body then copies in {@value DocumentStore#BUFFER}-byte steps and gives everything back when done, or at the end of
 * the request if it is never written ({@link RequestResources}). A large body is read ahead on a managed thread
 * while the request thread sends ({@link ReadAhead}).
 */
@ApplicationScoped
public class Downloads {

    private static final Logger LOG = Logger.getLogger(Downloads.class.getName());

    @Inject
    private CephConnectionFactory files;

    @Inject
    private Limits limits;

    @Inject
    private RequestResources request;

    /** Runs each large download's read-ahead (ReadAhead). */
    @Resource
    private ManagedExecutorService executor;

    /** An open document: its size, and the body that streams it. */
    public record Download(String name, long size, StreamingOutput body) {
    }

    public Download open(String name) throws IOException, ResourceException {
        Bulkhead.Permit place = limits.downloads().enter();
        CephConnection c = null;
        CephFileChannel ch = null;
        try {
            c = files.getConnection();
            ch = openDocument(c, name);
            FileAttributes a = ch.stat();
            if (a.isDirectory()) {
                throw DocumentException.isAFolder(name);
            }
            if (!a.isRegularFile()) {
                throw DocumentException.notFound(name);
            }
            Closer closer = new Closer(ch, c, place);
            request.add(closer);
            CephFileChannel file = ch;
            long size = a.size();
            return new Download(name, size, out -> {
                try {
                    ReadAhead.copy(file, size, out, executor); // a client that went away ends it quietly
                } finally {
                    closer.close();
                }
            });
        } catch (IOException | ResourceException | RuntimeException e) {
            new Closer(ch, c, place).close();
            throw e;
        }
    }

    private static CephFileChannel openDocument(CephConnection c, String name) throws IOException {
        try {
            return c.openChannel(StoreLayout.documentPath(name));
        } catch (NoSuchFileException e) {
            throw DocumentException.notFound(name);
        } catch (NotDirectoryException | AccessDeniedException e) {
            if (Folders.fileAncestor(c, name).isPresent()) {
                throw DocumentException.notFound(name); // a path below a document
            }
            throw e;
        }
    }

    /** Closes the channel, the connection and the bulkhead place, once. */
    private static final class Closer implements AutoCloseable {
        private final CephFileChannel channel;
        private final CephConnection connection;
        private final Bulkhead.Permit place;
        private final AtomicBoolean closed = new AtomicBoolean();

        Closer(CephFileChannel channel, CephConnection connection, Bulkhead.Permit place) {
            this.channel = channel;
            this.connection = connection;
            this.place = place;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException | RuntimeException e) {
                LOG.fine(() -> "closing a download's file: " + e);
            } finally {
                try {
                    if (connection != null) {
                        connection.close();
                    }
                } finally {
                    place.close();
                }
            }
        }
    }
}
