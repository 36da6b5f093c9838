package org.cephfsjca.example;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.EJBException;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.LockUnavailableException;

/**
 * Every failure as JSON {@code {"error": code, "message": text}} with a fitting status. Messages never carry a CephFS
 * path or a libcephfs call name (those exceptions' own messages do: they go to server.log only). Client errors are
 * not logged; 503s and storage errors are counted into one WARNING line per kind ({@link FailureLog}); only an
 * unexpected failure (a bug, also an {@link Error} such as a {@code NoSuchMethodError} from a mismatched adapter) is
 * logged with its stack trace, under an id the client is given.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());
    static final int RETRY_AFTER_UNAVAILABLE = 2;

    @Override
    public Response toResponse(Throwable e) {
        Throwable t = e;
        while (t instanceof EJBException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof DocumentException) {
            DocumentException d = (DocumentException) t;
            if (d.status() >= 500) {
                FailureLog.record(d.status() + " " + d.code(), d.getMessage());
            }
            return ErrorJson.response(d);
        }
        if (t instanceof WebApplicationException) {
            int status = ((WebApplicationException) t).getResponse().getStatus();
            return ErrorJson.response(status, ErrorJson.codeOf(status), ErrorJson.messageOf(status));
        }
        if (t instanceof ResourceException) {
            FailureLog.record("503 unavailable", t.getMessage());
            return Response.fromResponse(ErrorJson.response(503, "unavailable", "no CephFS connection is available "
                    + "right now; retry later")).header("Retry-After", RETRY_AFTER_UNAVAILABLE).build();
        }
        if (t instanceof org.cephfsjca.api.NodeFencedException) {
            // this server was fenced (peers took it over while it was paused) or could not renew its lease: it serves
            // again within seconds, on fresh sessions
            FailureLog.record("503 fenced", t.getMessage());
            return Response.fromResponse(ErrorJson.response(503, "unavailable", "this server is re-establishing its "
                    + "CephFS sessions; retry later")).header("Retry-After", RETRY_AFTER_UNAVAILABLE).build();
        }
        if (t instanceof LockUnavailableException) {
            return ErrorJson.response(409, "locked", "the document is locked by another owner");
        }
        if (t instanceof NoSuchFileException) {
            return ErrorJson.response(404, "not-found", "no such document (it may have been deleted meanwhile)");
        }
        if (t instanceof NotDirectoryException) {
            return ErrorJson.response(409, "not-a-directory", "a folder of the name is a document");
        }
        if (t instanceof AccessDeniedException) {
            FailureLog.record("403 access-denied", t.getMessage());
            return ErrorJson.response(403, "access-denied", "the file system refused access");
        }
        if (t instanceof CephFileSystemException c && SessionLoss.is(c)) {
            // the request's CephFS session was taken from under it (evicted, blocklisted, reset by a peer's takeover):
            // the adapter replaces the session, so the same request succeeds again in a moment
            FailureLog.record("503 session-lost", t.getMessage());
            return Response.fromResponse(ErrorJson.response(503, "unavailable", "this server lost its CephFS "
                    + "session during the request and is replacing it; nothing was stored; retry later"))
                    .header("Retry-After", RETRY_AFTER_UNAVAILABLE).build();
        }
        if (t instanceof CephFileSystemException) {
            CephFileSystemException c = (CephFileSystemException) t;
            String errno = c.errno() == null ? "errno " + c.errnoCode() : c.errno().name();
            FailureLog.record("500 storage-error", t.getMessage());
            return ErrorJson.response(500, "storage-error", "the file system failed to complete the request ("
                    + errno.toUpperCase(Locale.ROOT) + ")");
        }
        if (t instanceof IOException) {
            FailureLog.record("500 storage-error", String.valueOf(t));
            return ErrorJson.response(500, "storage-error", "the file system failed to complete the request");
        }
        if (t instanceof IllegalArgumentException) {
            // the adapter refused an argument before any native call (a path it cannot encode, say)
            return ErrorJson.response(400, "bad-request", "the request cannot be carried out as given");
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "unexpected failure (incident " + incident + ")", t);
        return ErrorJson.response(500, "internal-error", "internal error (incident " + incident + " in the server log)");
    }
}
