package org.cephfsjca.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The document API.
 * <pre>
 *   GET    /api/documents                     list (JSON)
 *   PUT    /api/documents/{name}              upload (body streamed to CephFS), 201 created / 200 replaced
 *   GET    /api/documents/{name}              download (streamed)
 *   DELETE /api/documents/{name}              delete, 204
 *   POST   /api/documents/{name}/checkout     take the document's exclusive lock and keep it
 *   POST   /api/documents/{name}/checkin      release it; a non-empty body replaces the content first
 * </pre>
 * Errors are JSON {@code {"error": code, "message": text}}: 400 bad name, 404 missing, 409 locked/checked out,
 * 503 no CephFS session available.
 */
@Path("/documents")
@RequestScoped
public class DocumentsResource {

    @EJB
    private DocumentStore store;

    @EJB
    private CheckoutRegistry checkouts;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray list() throws IOException, ResourceException {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (DocumentStore.DocumentInfo d : store.list()) {
            a.add(Json.createObjectBuilder().add("name", d.name()).add("size", d.size())
                    .add("modified", d.modified().toString()).add("checkedOut", checkouts.isCheckedOut(d.name())));
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
    public Response upload(@PathParam("name") String name, InputStream body, @Context UriInfo uri)
            throws IOException, ResourceException {
        DocumentNames.validate(name);
        DocumentStore.Stored s = store.upload(name, body);
        JsonObject json = Json.createObjectBuilder().add("name", s.name()).add("size", s.size())
                .add("sha256", s.sha256()).add("created", s.created()).build();
        if (s.created()) {
            URI location = uri.getRequestUri();
            return Response.created(location).entity(json).build();
        }
        return Response.ok(json).build();
    }

    @GET
    @Path("{name: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response download(@PathParam("name") String name) throws IOException, ResourceException {
        DocumentNames.validate(name);
        DocumentStore.Download d = store.download(name);
        return Response.ok(d.body(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, d.size()).build();
    }

    @DELETE
    @Path("{name: .+}")
    public Response delete(@PathParam("name") String name) throws IOException, ResourceException {
        DocumentNames.validate(name);
        store.delete(name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name: .+}/checkout")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject checkout(@PathParam("name") String name) throws IOException, ResourceException {
        DocumentNames.validate(name);
        return json(checkouts.checkout(name));
    }

    @POST
    @Path("{name: .+}/checkin")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject checkin(@PathParam("name") String name, InputStream body) throws IOException {
        DocumentNames.validate(name);
        InputStream content = null;
        if (body != null) {
            PushbackInputStream in = new PushbackInputStream(body, 1);
            int first = in.read();
            if (first >= 0) {
                in.unread(first);
                content = in;
            }
        }
        CheckoutRegistry.CheckinResult r = checkouts.checkin(name, content);
        JsonObjectBuilder b = Json.createObjectBuilder().add("name", r.name()).add("checkedOut", false)
                .add("replaced", r.replaced());
        if (r.replaced()) {
            b.add("size", r.size()).add("sha256", r.sha256());
        }
        return b.build();
    }

    static JsonObject json(CheckoutRegistry.CheckoutInfo c) {
        return Json.createObjectBuilder().add("name", c.name()).add("checkedOut", true)
                .add("since", c.since().toString()).add("size", c.size()).add("lockValid", c.lockValid()).build();
    }
}
