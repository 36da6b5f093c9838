package org.cephfsjca.it;

import java.util.ArrayList;
import java.util.List;

/**
 * A process for one of the provisioned WildFly's own tools ({@code bin/jboss-cli.sh}, {@code bin/add-user.sh}), as
 * an operator runs them. Their JVMs are short-lived: they run with the client compiler only
 * ({@code -XX:TieredStopAtLevel=1}) and the serial collector, which leaves the scripts and what they do as they are
 * and spares their start the optimizing compiler's threads (measured on the loaded 2-core test machine:
 * {@code jboss-cli.sh --version} 10-25 s by default, 5-8 s so).
 */
public final class WildFlyTool {

    static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private WildFlyTool() {
    }

    /** {@code bash bin/<script> args...} of the test WildFly, its JVM options extended by {@link #QUICK_JVM}. */
    public static ProcessBuilder process(String script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("bash", ItEnv.jbossHome().resolve("bin").resolve(script).toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String own = pb.environment().getOrDefault("JAVA_OPTS", "");
        pb.environment().put("JAVA_OPTS", (own + " " + QUICK_JVM).trim());
        return pb;
    }
}
