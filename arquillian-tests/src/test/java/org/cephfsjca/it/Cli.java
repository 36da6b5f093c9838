package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's CLI scripts (rar/src/main/cli) against the test server with the real {@code jboss-cli.sh} of
 * the provisioned WildFly, exactly as an operator or scripts/demo.sh would.
 */
public final class Cli {

    private Cli() {
    }

    /** The properties configure-adapter.cli needs for the local cluster, plus the scenario's own. */
    public static Map<String, String> adapterProperties(String nodeId, String recoveryMode, int slots, int poolMax) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ceph.conf", ItEnv.cephConf());
        p.put("ceph.fs.name", ItEnv.fsName());
        p.put("ceph.node.id", nodeId);
        p.put("ceph.recovery.mode", recoveryMode);
        p.put("ceph.session.slots", Integer.toString(slots));
        p.put("ceph.pool.max", Integer.toString(poolMax));
        return p;
    }

    /** Runs {@code script} with {@code --resolve-parameter-values} and the given -D properties; fails on error. */
    public static String run(String script, Map<String, String> properties) {
        return run(ItEnv.managementPort(), script, properties);
    }

    /** {@link #run(String, Map)} against the server whose management interface is 127.0.0.1:{@code port}. */
    public static String run(int managementPort, String script, Map<String, String> properties) {
        return run(managementPort, ItEnv.cliScript(script), properties);
    }

    /** Runs the script at {@code file} (e.g. {@link ItEnv#exampleCliScript}) against the test server. */
    public static String run(Path file, Map<String, String> properties) {
        return run(ItEnv.managementPort(), file, properties);
    }

    private static String run(int managementPort, Path file, Map<String, String> properties) {
        String script = file.getFileName().toString();
        List<String> args = new ArrayList<>(List.of("-c", "--controller=remote+http://127.0.0.1:" + managementPort,
                "--file=" + file, "--resolve-parameter-values",
                // how long the CLI waits to (re)connect, also after a script's reload: its 5 s default ran out once
                // on the loaded machine ("Failed to establish connection in 6069ms" after configure-metrics.cli)
                "--timeout=120000"));
        properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
        ProcessBuilder pb = WildFlyTool.process("jboss-cli.sh", args);
        List<String> cmd = pb.command();
        long t0 = System.nanoTime();
        try {
            Path log = Files.createTempFile("jboss-cli", ".log");
            try {
                Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(180, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("jboss-cli " + script + " did not finish within 180 s:\n" + Files.readString(log));
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    fail("jboss-cli " + script + " failed (exit " + p.exitValue() + "): " + String.join(" ", cmd)
                            + "\n" + out);
                }
                System.out.printf("[it] jboss-cli %s: %d ms%n", script,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                return out;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running jboss-cli " + script, e);
        }
    }
}
