package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;

/**
 * The files a Payara Micro instance boots with, made the way an operator makes them: the pre-boot commands (HTTP
 * listener on 127.0.0.1, the data grid off), and the
 * post-boot commands written by the shipped scripts, rar/src/main/asadmin/configure-adapter.sh (adapter, .rar, pool,
 * JNDI name) and example-app/src/main/asadmin/configure-example.sh (the app's users).
 */
final class PayaraConfig {

    /**
     * The HTTP listener on 127.0.0.1 only; the data grid (Hazelcast) off: with --nocluster alone it still listens on
     * every interface (0.0.0.0:6900), and --nohazelcast, --interfaces, --startport and --hzconfigfile do not change
     * that in 6.2025.10 (measured with ss -tlnp); the adapter needs none of it.
     */
    static final String PRE_BOOT = """
            set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
            set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false
            """;

    final Path dir;
    final Path preBoot;
    final Path postBoot;
    final int httpPort;

    private PayaraConfig(Path dir, int httpPort) {
        this.dir = dir;
        this.preBoot = dir.resolve("pre-boot.asadmin");
        this.postBoot = dir.resolve("post-boot.asadmin");
        this.httpPort = httpPort;
    }

    /**
     * Writes the boot files for an instance in {@code dir} with the adapter of {@code node} in recovery {@code mode}.
     */
    static PayaraConfig write(Path dir, int httpPort, String node, String mode, int slots, int poolMax)
            throws IOException {
        return write(dir, httpPort, node, mode, slots, poolMax, List.of(), "");
    }

    /**
     * As {@link #write(Path, int, String, String, int, int)}, with more {@code name=value} arguments for
     * configure-adapter.sh, and more asadmin commands after the scripts' (an operator's own lines).
     */
    static PayaraConfig write(Path dir, int httpPort, String node, String mode, int slots, int poolMax,
            List<String> moreAdapterArgs, String moreCommands) throws IOException {
        Files.createDirectories(dir);
        PayaraConfig c = new PayaraConfig(dir, httpPort);
        Files.writeString(c.preBoot, PRE_BOOT, StandardCharsets.UTF_8);
        Path users = dir.resolve("users.txt");
        Files.writeString(users, ItUsers.all().stream().map(u -> u.name() + " " + u.roles() + " " + u.password())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        List<String> adapterArgs = new ArrayList<>(List.of("cephfs.rar.file=" + PayaraEnv.rar(),
                "ceph.conf=" + ItEnv.cephConf(), "ceph.fs.name=" + ItEnv.fsName(), "ceph.node.id=" + node,
                "ceph.recovery.mode=" + mode, "ceph.session.slots=" + slots, "ceph.pool.max=" + poolMax,
                // no cluster takeover: a test server must not take over (or be taken over by) the node of another
                // suite's server on the same cluster; measured: a WildFly suite running meanwhile took over the crash
                // test's SIGKILLed Payara node 2 s after the kill, so its lock was free before the restart
                "ceph.takeover.ms=0"));
        adapterArgs.addAll(moreAdapterArgs);
        String adapter = run(PayaraEnv.file("it.asadmin.rar"), adapterArgs);
        String example = run(PayaraEnv.file("it.asadmin.example"),
                List.of(users.toString(), dir.resolve("passwords").toString()));
        Files.writeString(c.postBoot, adapter + example + moreCommands, StandardCharsets.UTF_8);
        Files.delete(users);
        return c;
    }

    /** The options of payara-micro.jar that use these files (besides --deploy). */
    List<String> microOptions() {
        return List.of("--nocluster", "--port", Integer.toString(httpPort),
                "--prebootcommandfile", preBoot.toString(), "--postbootcommandfile", postBoot.toString());
    }

    private static String run(Path script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(script.getFileName() + " failed (exit " + p.exitValue() + ")");
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
