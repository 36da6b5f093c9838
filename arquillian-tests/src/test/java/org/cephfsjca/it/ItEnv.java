package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What the tests run against, from the failsafe configuration (pom.xml) and the environment that
 * {@code eval "$(scripts/ceph-cluster.sh env)"} sets up. Missing pieces FAIL the tests (never skip them), saying
 * what to do.
 */
public final class ItEnv {

    public static final String RAR_NAME = "cephfs-jca.rar";
    public static final String WAR_NAME = "cephfs-jca-example.war";
    public static final String CONTEXT = "/cephfs-jca-example";
    public static final String RA = "cephfs-jca";
    public static final String CD = "CephFileSystem";
    public static final String JNDI = "java:/ceph/FileSystem";
    public static final String UUID_PREFIX = "cephfs-jca";

    private ItEnv() {
    }

    static String prop(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isEmpty()) {
            fail("system property " + name + " is not set: run the tests through Maven (mvn verify), which sets it");
        }
        return v;
    }

    public static Path jbossHome() {
        Path p = Path.of(prop("jboss.home"));
        if (!Files.isRegularFile(p.resolve("jboss-modules.jar"))) {
            fail("no WildFly at " + p + " (the pom unpacks org.wildfly:wildfly-dist there in the package phase)");
        }
        return p;
    }

    public static Path rarFile() {
        return existing(Path.of(prop("it.deployments"), RAR_NAME));
    }

    public static Path warFile() {
        return existing(Path.of(prop("it.deployments"), WAR_NAME));
    }

    public static Path cliScript(String name) {
        return existing(Path.of(prop("it.cli.dir"), name));
    }

    /**
     * A CLI script of the example app (example-app/src/main/cli), found beside the adapter's scripts (it.cli.dir is
     * rar/src/main/cli of the same source tree).
     */
    public static Path exampleCliScript(String name) {
        return existing(Path.of(prop("it.cli.dir")).resolve("../../../../example-app/src/main/cli").normalize()
                .resolve(name));
    }

    public static int httpPort() {
        return Integer.parseInt(prop("it.http.port"));
    }

    public static int managementPort() {
        return Integer.parseInt(prop("it.management.port"));
    }

    public static long streamBytes() {
        return Long.parseLong(prop("it.stream.bytes"));
    }

    /** Base URL of the example app's REST API on the test server. */
    public static String apiUrl() {
        return "http://127.0.0.1:" + httpPort() + CONTEXT + "/api";
    }

    /** $CEPH_CONF of the local cluster; fails when unset or unreadable. */
    public static String cephConf() {
        String conf = System.getenv("CEPH_CONF");
        if (conf == null || conf.isEmpty()) {
            fail("CEPH_CONF is not set: start the local cluster with scripts/ceph-cluster.sh start and "
                    + "eval \"$(scripts/ceph-cluster.sh env)\" before mvn verify (scripts/run-tests.sh does both)");
        }
        if (!Files.isReadable(Path.of(conf))) {
            fail("CEPH_CONF=" + conf + " is not readable: is the local cluster running? (scripts/ceph-cluster.sh start)");
        }
        return conf;
    }

    public static String fsName() {
        String fs = System.getenv("CEPH_FS_NAME");
        return fs == null || fs.isEmpty() ? "cephfs" : fs;
    }

    /** A node id for one test scenario, so that its session uuids are its own. */
    public static String nodeId(String scenario) {
        return "it-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The session uuids of {@code nodeId}, computed through the adapter's real scheme (a keyed hash; the deployed adapter
     * is client.admin with no uuidSecret, so the secret derives from client.admin's key, as here).
     */
    public static org.cephfsjca.adapter.session.SessionUuids uuids(String nodeId) {
        return new org.cephfsjca.adapter.session.SessionOpener(new org.cephfsjca.adapter.config.AdapterConfig.Builder()
                .configFile(cephConf()).nodeId(nodeId).build(nodeId)).uuids();
    }

    public static String uuid(String nodeId, int slot) {
        return uuids(nodeId).of(slot);
    }

    /** The uuid of the node's lease session (the adapter's proof that this node id's owner is alive). */
    public static String leaseUuid(String nodeId) {
        return uuids(nodeId).lease();
    }

    /** The CephFS directory of the example app's documents. */
    public static final String DOCUMENTS = "/documents";

    /**
     * The lock file of document {@code name} (the app's check-outs lock it, never the document itself):
     * {@code /documents/.locks/<sha256 of the NFC name>.lock}.
     */
    public static String lockFileOf(String name) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return DOCUMENTS + "/.locks/" + java.util.HexFormat.of().formatHex(h) + ".lock";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            fail(p + " does not exist (the pom copies the built artifacts there; build the whole reactor)");
        }
        return p;
    }
}
