package org.cephfsjca.example;

import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.RecoveryReport;
import org.cephfsjca.api.SessionStatus;
import org.cephfsjca.api.SlotOutcome;

/**
 * {@code GET /api/status}: what the adapter did with the previous incarnation's sessions when it started, the
 * session slots in use, the container's pool figures, the service's limits and how much of them is in use, and this
 * server's check-outs: who holds which document, since when.
 */
@Path("/status")
@RequestScoped
public class StatusResource {

    @Inject
    private CephConnectionFactory files;

    @Inject
    private CheckoutRegistry checkouts;

    @Inject
    private Limits limits;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject status() {
        JsonObjectBuilder b = Json.createObjectBuilder();
        b.add("documentRoot", StoreLayout.root());
        RecoveryReport r = files.getLastRecovery();
        if (r == null) {
            b.addNull("recovery");
        } else {
            JsonArrayBuilder slots = Json.createArrayBuilder();
            for (SlotOutcome s : r.slots()) {
                JsonObjectBuilder so = Json.createObjectBuilder().add("slot", s.slot()).add("uuid", s.uuid())
                        .add("result", s.result().name()).add("millis", s.millis());
                if (s.errno() != null) {
                    so.add("errno", s.errno());
                }
                if (s.detail() != null) {
                    so.add("detail", s.detail());
                }
                slots.add(so);
            }
            JsonObjectBuilder rec = Json.createObjectBuilder()
                    .add("mode", r.mode().name())
                    .add("requested", r.requested().name())
                    .add("nodeId", r.nodeId())
                    .add("startedAt", r.startedAt().toString())
                    .add("millis", r.millis())
                    .add("slotsChecked", r.slotsChecked())
                    .add("sessionsReset", r.sessionsReset())
                    .add("notFound", r.notFound())
                    .add("failed", r.failed())
                    .add("summary", r.summary())
                    .add("slots", slots);
            if (r.note() == null) {
                rec.addNull("note");
            } else {
                rec.add("note", r.note());
            }
            b.add("recovery", rec);
        }
        SessionStatus s = files.getSessionStatus();
        b.add("sessions", Json.createObjectBuilder().add("nodeId", s.nodeId()).add("uuidPrefix", s.uuidPrefix())
                .add("slotCount", s.slotCount()).add("slotsInUse", s.slotsInUse()).add("connections", s.connections())
                .add("leakedConnections", s.leakedConnections()).add("serving", s.serving())
                .add("lastFencing", s.lastFencing() == null ? "none" : s.lastFencing()));
        JsonObjectBuilder pool = Json.createObjectBuilder();
        for (Map.Entry<String, Object> e : PoolStatistics.read().entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number) {
                pool.add(e.getKey(), ((Number) v).longValue());
            } else {
                pool.add(e.getKey(), String.valueOf(v));
            }
        }
        b.add("pool", pool);
        b.add("limits", Json.createObjectBuilder().add("uploads", json(limits.uploads()))
                .add("downloads", json(limits.downloads())).add("checkoutsPerUser", limits.checkoutsPerUser()));
        JsonArrayBuilder cos = Json.createArrayBuilder();
        for (CheckoutRegistry.CheckoutInfo c : checkouts.list()) {
            cos.add(DocumentsResource.json(c));
        }
        b.add("checkouts", cos);
        return b.build();
    }

    private static JsonObjectBuilder json(Bulkhead h) {
        return Json.createObjectBuilder().add("max", h.max()).add("inUse", h.inUse()).add("waiting", h.waiting())
                .add("finished", h.finished()).add("waitMillis", h.waitMillis());
    }
}
