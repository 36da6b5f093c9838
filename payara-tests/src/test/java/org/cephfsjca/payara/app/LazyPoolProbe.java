package org.cephfsjca.payara.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.naming.InitialContext;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * Added to the example war by PayaraPoolDifferencesIT: uses a connection factory of another pool of the adapter, one
 * created with lazy connection association and enlistment on (its connector resource's JNDI name is the
 * {@code jndi} parameter). {@code /lazy/many} (or, when the lookup fails, the failure's message) writes and reads through several connections held at once;
 * {@code /lazy/keep} takes a connection and keeps its handle past the request (what lazy association would dissociate
 * at the end of the request), {@code /lazy/use} uses that handle in a later request and closes it.
 */
@Path("/lazy")
@RequestScoped
public class LazyPoolProbe {

    private static final AtomicReference<CephConnection> KEPT = new AtomicReference<>();

    private static CephConnectionFactory factory(String jndi) throws Exception {
        return (CephConnectionFactory) new InitialContext().lookup(jndi);
    }

    @GET
    @Path("/many")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject many(@QueryParam("jndi") String jndi, @QueryParam("dir") String dir) throws Exception {
        CephConnectionFactory f;
        try {
            f = factory(jndi);
        } catch (javax.naming.NamingException e) {
            // what GlassFish answers for a pool it refuses (RAR7106: lazy association without lazy enlistment)
            return Json.createObjectBuilder().add("lookupFailed", String.valueOf(e.getMessage())).build();
        }
        List<CephConnection> held = new ArrayList<>();
        boolean readBack = true;
        int connectionsWhileHeld;
        try {
            for (int i = 0; i < 3; i++) {
                held.add(f.getConnection());
            }
            held.get(0).mkdirs(dir);
            for (int i = 0; i < held.size(); i++) {
                byte[] data = ("connection " + i).getBytes(StandardCharsets.UTF_8);
                held.get(i).write(dir + "/c" + i, data);
                readBack &= Arrays.equals(data, held.get((i + 1) % held.size()).readAllBytes(dir + "/c" + i));
            }
            connectionsWhileHeld = f.getSessionStatus().connections();
            held.get(0).deleteRecursively(dir);
        } finally {
            for (CephConnection c : held) {
                c.close();
            }
        }
        return Json.createObjectBuilder().add("readBack", readBack).add("held", held.size())
                .add("connectionsWhileHeld", connectionsWhileHeld)
                .add("slotsInUse", f.getSessionStatus().slotsInUse()).build();
    }

    @GET
    @Path("/keep")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject keep(@QueryParam("jndi") String jndi, @QueryParam("dir") String dir) throws Exception {
        CephConnection c = factory(jndi).getConnection();
        c.mkdirs(dir);
        c.write(dir + "/kept", "kept past its request".getBytes(StandardCharsets.UTF_8));
        CephConnection before = KEPT.getAndSet(c);
        if (before != null) {
            before.close();
        }
        return Json.createObjectBuilder().add("kept", true).build();
    }

    @GET
    @Path("/use")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject use(@QueryParam("dir") String dir) throws Exception {
        CephConnection c = KEPT.getAndSet(null);
        JsonObjectBuilder b = Json.createObjectBuilder().add("had", c != null);
        if (c == null) {
            return b.build();
        }
        try {
            b.add("closedBefore", c.isClosed());
            b.add("readBack", new String(c.readAllBytes(dir + "/kept"), StandardCharsets.UTF_8));
            c.deleteRecursively(dir);
        } finally {
            c.close();
        }
        return b.add("closedAfter", c.isClosed()).build();
    }
}
