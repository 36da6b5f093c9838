package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * The document API (sign-in required; reading needs role reader or editor, everything else editor; see web.xml).
 * <pre>
 *   GET    /api/documents                     list (JSON)
 *   PUT    /api/documents/{name}              upload (body streamed to CephFS), 201 created / 200 replaced
 *   GET    /api/documents/{name}              download (streamed)
 *   DELETE /api/documents/{name}              delete, 204
 *   POST   /api/documents/{name}/checkout     check out: take the document's lock and keep it, for the caller
 *   POST   /api/documents/{name}/checkin      check in (its holder or an admin); a non-empty body replaces the content
 *   DELETE /api/documents/{name}/checkout     break the check-out (its holder or an admin), content unchanged
 * </pre>
 * Errors are JSON {@code {"error": code, "message": text}} (codes in docs/example-app.md).
 */
@Path("/documents")
@RequestScoped
public class DocumentsResource {

    @Inject
    private DocumentStore store;

    @Inject
    private Downloads downloads;

    @Inject
    private CheckoutRegistry checkouts;

    @Inject
    private Limits limits;

    @Context
    private SecurityContext security;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray list() throws IOException, ResourceException {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (DocumentStore.DocumentInfo d : store.list()) {
            String holder = checkouts.userOf(d.name());
            JsonObjectBuilder o = Json.createObjectBuilder().add("name", d.name()).add("size", d.size())
                    .add("modified", d.modified().toString()).add("checkedOut", holder != null);
            if (holder != null) {
                o.add("checkedOutBy", holder);
            }
            a.add(o);
        }
        return a.build();
    }

    /** {@code PUT /api/documents/}: a document needs a name. */
    @PUT
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response uploadWithoutName() {
        throw DocumentException.badName("the document name is empty: PUT /api/documents/{name}");
    }

    @PUT
    @Path("{name: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@PathParam("name") String raw, InputStream body, @Context UriInfo uri)
            throws IOException, ResourceException {
        String name = DocumentNames.validate(raw);
        DocumentStore.Stored s;
        try (Bulkhead.Permit place = limits.uploads().enter()) {
            s = store.upload(name, body);
        }
        JsonObject json = Json.createObjectBuilder().add("name", s.name()).add("size", s.size())
                .add("sha256", s.sha256()).add("created", s.created()).build();
        if (s.created()) {
            return Response.created(uri.getAbsolutePath()).entity(json).build();
        }
        return Response.ok(json).build();
    }

    @GET
    @Path("{name: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response download(@PathParam("name") String raw) throws IOException, ResourceException {
        Downloads.Download d = downloads.open(DocumentNames.validate(raw));
        return Response.ok(d.body(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, d.size()).build();
    }

    /** HEAD: the size, without opening a stream (and without taking a download place). */
    @HEAD
    @Path("{name: .+}")
    public Response head(@PathParam("name") String raw) throws IOException, ResourceException {
        DocumentStore.DocumentInfo info = store.info(DocumentNames.validate(raw));
        return Response.ok().type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, info.size()).build();
    }

    @DELETE
    @Path("{name: .+}")
    public Response delete(@PathParam("name") String raw) throws IOException, ResourceException {
        store.delete(DocumentNames.validate(raw));
        return Response.noContent().build();
    }

    @POST
    @Path("{name: .+}/checkout")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject checkout(@PathParam("name") String raw) throws IOException, ResourceException {
        return json(checkouts.checkout(DocumentNames.validate(raw), Caller.of(security)));
    }

    @DELETE
    @Path("{name: .+}/checkout")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject breakCheckout(@PathParam("name") String raw) {
        String name = DocumentNames.validate(raw);
        checkouts.breakCheckout(name, Caller.of(security));
        return Json.createObjectBuilder().add("name", name).add("checkedOut", false).add("broken", true).build();
    }

    @POST
    @Path("{name: .+}/checkin")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject checkin(@PathParam("name") String raw, InputStream body) throws IOException, ResourceException {
        String name = DocumentNames.validate(raw);
        InputStream content = nonEmpty(body);
        CheckoutRegistry.CheckinResult r;
        if (content == null) {
            r = checkouts.checkin(name, Caller.of(security), null);
        } else {
            try (Bulkhead.Permit place = limits.uploads().enter()) {
                r = checkouts.checkin(name, Caller.of(security), content);
            }
        }
        JsonObjectBuilder b = Json.createObjectBuilder().add("name", r.name()).add("checkedOut", false)
                .add("replaced", r.replaced());
        if (r.replaced()) {
            b.add("size", r.size()).add("sha256", r.sha256());
        }
        return b.build();
    }

    /** The body, or null when it is empty (a check-in without new content). */
    private static InputStream nonEmpty(InputStream body) throws IOException {
        if (body == null) {
            return null;
        }
        PushbackInputStream in = new PushbackInputStream(body, 1);
        int first;
        try {
            first = in.read();
        } catch (IOException e) {
            throw new DocumentException(400, "incomplete-upload", "the request body could not be read");
        }
        if (first < 0) {
            return null;
        }
        in.unread(first);
        return in;
    }

    static JsonObject json(CheckoutRegistry.CheckoutInfo c) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("name", c.name()).add("checkedOut", true)
                .add("user", c.user()).add("since", c.since().toString()).add("lockValid", c.lockValid());
        if (c.size() >= 0) {
            b.add("size", c.size());
        }
        return b.build();
    }
}
