package org.cephfsjca.adapter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default node id: WildFly's {@code jboss.node.name}, else the host name. Characters a uuid may not hold are
 * replaced by '_', so the default is always valid; an explicitly configured node id is validated instead.
 */
public final class NodeIds {

    private NodeIds() {
    }

    /** The default for this JVM, or null if none can be found. */
    public static String defaultNodeId() {
        String v = System.getProperty("jboss.node.name");
        if (v == null || v.isBlank()) {
            v = hostName();
        }
        return v == null ? null : sanitize(v);
    }

    /** Replaces every character outside [A-Za-z0-9._-] by '_' and cuts to 64 characters. */
    public static String sanitize(String v) {
        String s = v.trim().replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** This machine's host name, read locally (never a DNS lookup), or null. */
    public static String hostName() {
        // read locally: InetAddress.getLocalHost() may wait on DNS
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
