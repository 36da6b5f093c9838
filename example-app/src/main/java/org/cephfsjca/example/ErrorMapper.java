package org.cephfsjca.example;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.cephfsjca.api.CephFileSystemException;
import org.cephfsjca.api.LockUnavailableException;

/** Every failure as JSON {@code {"error": code, "message": text}} with a fitting status. */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        Throwable t = e;
        while (t instanceof EJBException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof DocumentException) {
            DocumentException d = (DocumentException) t;
            return error(d.status(), d.code(), d.getMessage());
        }
        if (t instanceof WebApplicationException) {
            Response r = ((WebApplicationException) t).getResponse();
            if (r.hasEntity()) {
                return r;
            }
            return error(r.getStatus(), "http-" + r.getStatus(), t.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return error(400, "bad-request", t.getMessage());
        }
        if (t instanceof NoSuchFileException) {
            return error(404, "not-found", "no such document: " + ((NoSuchFileException) t).getFile());
        }
        if (t instanceof LockUnavailableException) {
            return error(409, "locked", t.getMessage());
        }
        if (t instanceof AccessDeniedException) {
            return error(403, "access-denied", t.getMessage());
        }
        if (t instanceof ResourceException) {
            LOG.log(Level.WARNING, "no CephFS session available", t);
            return error(503, "unavailable", "no CephFS session available: " + t.getMessage());
        }
        if (t instanceof CephFileSystemException) {
            CephFileSystemException c = (CephFileSystemException) t;
            LOG.log(Level.WARNING, "CephFS call failed", t);
            return error(500, "ceph-" + c.errno().name().toLowerCase(java.util.Locale.ROOT), t.getMessage());
        }
        if (t instanceof FileSystemException || t instanceof java.io.IOException) {
            LOG.log(Level.WARNING, "I/O failure", t);
            return error(500, "io-error", t.getMessage());
        }
        LOG.log(Level.SEVERE, "unexpected failure", t);
        return error(500, "internal-error", String.valueOf(t));
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("error", code)
                        .add("message", message == null ? code : message).build())
                .build();
    }
}
