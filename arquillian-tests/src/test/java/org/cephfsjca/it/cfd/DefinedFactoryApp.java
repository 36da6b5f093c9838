package org.cephfsjca.it.cfd;

import jakarta.annotation.Resource;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.cephfsjca.api.CephConnectionFactory;

/**
 * The whole of a small application that defines a connection factory of its own with
 * {@code @ConnectionFactoryDefinition(resourceAdapter = "cephfs-jca")}; {@code GET /defined} answers the node id of
 * the adapter instance behind it. ConnectionFactoryDefinitionIT deploys it next to the suite's adapter.
 */
@ConnectionFactoryDefinition(name = DefinedFactoryApp.NAME, resourceAdapter = "cephfs-jca",
        interfaceName = "org.cephfsjca.api.CephConnectionFactory", maxPoolSize = 2,
        transactionSupport = TransactionSupportLevel.NoTransaction)
@WebServlet("/defined")
public class DefinedFactoryApp extends HttpServlet {

    private static final long serialVersionUID = 1L;
    public static final String NAME = "java:app/ceph/Defined";

    @Resource(lookup = NAME)
    private transient CephConnectionFactory defined;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print(defined.getSessionStatus().nodeId());
    }
}
