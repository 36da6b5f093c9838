package org.cephfsjca.payara.app;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * Added to the example war by PayaraDocumentServiceIT: a connection factory the application defines itself, with
 * {@code @ConnectionFactoryDefinition(resourceAdapter = "cephfs-jca")}. {@code GET /api/defined} writes and reads a
 * file through it and tells which adapter instance serves it, beside the server's factory (injected).
 */
@ConnectionFactoryDefinition(name = DefinedFactoryProbe.NAME, resourceAdapter = "cephfs-jca",
        interfaceName = "org.cephfsjca.api.CephConnectionFactory", maxPoolSize = 2,
        transactionSupport = TransactionSupportLevel.NoTransaction)
@Path("/defined")
@RequestScoped
public class DefinedFactoryProbe {

    public static final String NAME = "java:app/ceph/Defined";

    @Resource(lookup = NAME)
    private CephConnectionFactory defined;

    @Inject
    private CephConnectionFactory server;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject probe() throws Exception {
        String dir = "/documents/.defined-" + UUID.randomUUID();
        byte[] data = "through the defined factory".getBytes(StandardCharsets.UTF_8);
        boolean readBack;
        try (CephConnection c = defined.getConnection()) {
            c.mkdirs(dir);
            c.write(dir + "/f", data);
            readBack = java.util.Arrays.equals(data, c.readAllBytes(dir + "/f"));
            c.deleteRecursively(dir);
        }
        return Json.createObjectBuilder()
                .add("definedNodeId", defined.getSessionStatus().nodeId())
                .add("serverNodeId", server.getSessionStatus().nodeId())
                .add("definedRecoveryStartedAt", defined.getLastRecovery().startedAt().toString())
                .add("serverRecoveryStartedAt", server.getLastRecovery().startedAt().toString())
                .add("readBack", readBack)
                .build();
    }
}
