package org.cephfsjca.it.twoservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.ContainerController;

import org.cephfsjca.it.Cli;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.it.ServerLog;

/**
 * One of the two servers of {@link TwoServersTakeoverIT}: an Arquillian container of the group "wildfly-two"
 * (arquillian.xml, mode manual), started with a {@code jboss.node.name} of its own (which is its adapter's node id:
 * configure-adapter.cli is run without {@code ceph.node.id}, as docs/cluster.md deploys a cluster), a port offset of
 * its own (system property {@code it.two.<label>.port.offset}), and a base directory of its own (a copy of
 * standalone/configuration and standalone/data under {@code it.two.dir}), everything on 127.0.0.1.
 */
final class WildFlyNode {

    /** WildFly's http and management ports without an offset. */
    private static final int HTTP = 8080;
    private static final int MANAGEMENT = 9990;

    private final String container;
    private final String label;
    private final String nodeId;
    private final int portOffset;

    /** Server {@code label} ("a" or "b"): container wildfly-two-{@code label}, a fresh node id. */
    WildFlyNode(String label) {
        this.label = label;
        this.container = "wildfly-two-" + label;
        this.nodeId = ItEnv.nodeId("two-" + label);
        this.portOffset = Integer.parseInt(property("it.two." + label + ".port.offset"));
    }

    String nodeId() {
        return nodeId;
    }

    int httpPort() {
        return HTTP + portOffset;
    }

    int managementPort() {
        return MANAGEMENT + portOffset;
    }

    /** The absolute URL of the example app's API path {@code path} on this server (Http takes absolute URLs). */
    String url(String path) {
        return "http://127.0.0.1:" + httpPort() + ItEnv.CONTEXT + "/api" + path;
    }

    /** The server's base directory ({@code -Djboss.server.base.dir}). */
    Path baseDir() {
        return Path.of(property("it.two.dir"), label);
    }

    ServerLog log() {
        return ServerLog.whole(baseDir().resolve("log/server.log"));
    }

    boolean isStarted(ContainerController controller) {
        return controller.isStarted(container);
    }

    /** Starts the server (the test's users must exist by then: the base directory copies the configuration). */
    long start(ContainerController controller) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("jbossArguments",
                "-Djboss.node.name=" + nodeId + " -Djboss.socket.binding.port-offset=" + portOffset);
        overrides.put("managementPort", Integer.toString(managementPort()));
        long t0 = System.nanoTime();
        controller.start(container, overrides);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[it] server %s (node %s, http %d, management %d, base dir %s) started in %d ms%n", label,
                nodeId, httpPort(), managementPort(), baseDir(), ms);
        return ms;
    }

    /**
     * What an operator does on each member: the example app's server settings, the .rar, configure-adapter.cli with
     * the cluster's ceph.conf and file system and nothing else (node id {@code ${jboss.node.name}}, uuidPrefix, cephx
     * user, mountRoot and takeover all by default), then the app.
     */
    void deployAdapterAndApp() {
        try (Mgmt mgmt = Mgmt.connect(managementPort())) {
            mgmt.applyExampleServerSettings();
            mgmt.deploy(ItEnv.RAR_NAME, ItEnv.rarFile());
            Map<String, String> p = new LinkedHashMap<>();
            p.put("ceph.conf", ItEnv.cephConf());
            p.put("ceph.fs.name", ItEnv.fsName());
            Cli.run(managementPort(), "configure-adapter.cli", p);
            mgmt.deploy(ItEnv.WAR_NAME, ItEnv.warFile());
        }
        Object status = Http.get(url("/status")).json();
        assertEquals(nodeId, Json.str(status, "recovery", "nodeId"), "the adapter's node id is jboss.node.name");
    }

    /** Undeploys the app and the .rar (stopping the adapter unmounts its sessions), then stops the server. */
    void stop(ContainerController controller) {
        try (Mgmt mgmt = Mgmt.connect(managementPort())) {
            mgmt.undeploy(ItEnv.WAR_NAME);
            mgmt.undeploy(ItEnv.RAR_NAME);
        }
        controller.stop(container);
    }

    /** Arquillian's own kill: after {@link #kill9}, or for the clean-up after a failed stop. */
    void forceStop(ContainerController controller) {
        controller.kill(container);
    }

    /**
     * SIGKILLs the server JVM (ContainerController.kill() would stop it gracefully) and waits until it is gone.
     * Returns the {@link System#nanoTime()} at which the signal was sent. Arquillian still counts the server as
     * started: {@link #forceStop} tells it (that takes a while, so the test does it once it has measured).
     */
    long kill9() throws Exception {
        ProcessHandle jvm = process();
        long sent = System.nanoTime();
        if (!jvm.destroyForcibly()) {
            fail("could not send SIGKILL to " + jvm.pid());
        }
        jvm.onExit().get(30, TimeUnit.SECONDS);
        System.out.printf("[it] SIGKILLed server %s (node %s, pid %d), dead %d ms later%n", label, nodeId, jvm.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        return sent;
    }

    /** The server's JVM: the child of this JVM (Arquillian starts it) running jboss-modules with our node name. */
    ProcessHandle process() {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            Optional<String> cmd = p.info().commandLine();
            if (cmd.isPresent() && cmd.get().contains("jboss-modules.jar")
                    && cmd.get().contains("-Djboss.node.name=" + nodeId)) {
                found.add(p);
            }
        });
        if (found.size() != 1) {
            fail("expected one WildFly process of node " + nodeId + ", found " + found);
        }
        return found.get(0);
    }

    @Override
    public String toString() {
        return "server " + label + " (node " + nodeId + ")";
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isEmpty()) {
            fail("system property " + name + " is not set: run the tests through Maven (mvn verify), which sets it");
        }
        return v;
    }
}
