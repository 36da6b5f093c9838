package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;
import static org.cephfsjca.bench.BenchLog.secondsSince;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One WildFly for the server benchmark, provisioned as the ITs and the demo do: the wildfly-dist Maven unpacked
 * (bench-server.properties says where), a base directory of its own (a fresh copy of {@code standalone/}: the
 * distribution stays untouched), users made with {@code bin/add-user.sh -a}, the example app's server settings
 * (configure-example.cli), the .rar deployed and configured by configure-adapter.cli, then the example app and the
 * bench deployment. Listens on 127.0.0.1 only, with a port offset of its own.
 */
final class WildFlyServer implements AutoCloseable {

    /** A user of the application realm: name, password (never logged), roles. */
    record User(String name, String password, String roles) {
    }

    private final Properties where;
    private final Path jbossHome;
    private final Path base;
    private final Path logDir;
    private final String nodeId;
    private final int offset;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private CompletableFuture<Void> addingUsers = CompletableFuture.completedFuture(null);

    WildFlyServer(Path base, Path logDir, String nodeId, int offset) throws IOException {
        this.where = new Properties();
        try (InputStream in = WildFlyServer.class.getResourceAsStream("/bench-server.properties")) {
            if (in == null) {
                throw new IllegalStateException("bench-server.properties is not on the class path (build the "
                        + "benchmarks module with Maven)");
            }
            where.load(in);
        }
        this.jbossHome = existing("jboss.home");
        this.base = base.toAbsolutePath();
        this.logDir = logDir.toAbsolutePath();
        this.nodeId = nodeId;
        this.offset = offset;
    }

    int httpPort() {
        return 8080 + offset;
    }

    int managementPort() {
        return 9990 + offset;
    }

    String version() {
        return where.getProperty("wildfly.version");
    }

    /** The server's JVM (the script's child), for its CPU time. */
    ProcessHandle jvm() {
        return process.descendants().filter(h -> h.info().commandLine().orElse("").contains("jboss-modules"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no WildFly JVM under " + process.pid()));
    }

    String url(String path) {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    /** The file a property of bench-server.properties names; fails with the way to build it when missing. */
    Path existing(String key) {
        Path p = Path.of(where.getProperty(key));
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build it first (mvn -o -q -pl api,rar,example-app,"
                    + "benchmarks -am package -DskipTests, as scripts/bench.sh does)");
        }
        return p;
    }

    /**
     * A fresh base directory (configuration and deployments of the distribution); the users are added meanwhile
     * (add-user.sh costs a JVM start each; the server's realm re-reads the files at the next sign-in): {@link
     * #awaitUsers} waits for them.
     */
    void provision(List<User> users) throws Exception {
        long t0 = System.nanoTime();
        deleteTree(base);
        Files.createDirectories(base);
        copyTree(jbossHome.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        for (String f : List.of("application-users.properties", "application-roles.properties")) {
            Path p = base.resolve("configuration").resolve(f);
            List<String> kept = Files.readAllLines(p).stream().filter(l -> l.startsWith("#")).toList();
            Files.write(p, kept); // only the benchmark's users
        }
        addingUsers = CompletableFuture.runAsync(() -> {
            for (User u : users) { // one after the other: each rewrites the same two files
                try {
                    run("add-user-" + u.name(), 120, List.of("bash", jbossHome.resolve("bin/add-user.sh").toString(),
                            "-a", "-sc", base.resolve("configuration").toString(), "-u", u.name(), "-p", u.password(),
                            "-g", u.roles()));
                } catch (Exception e) {
                    throw new IllegalStateException("add-user.sh " + u.name() + ": " + e.getMessage(), e);
                }
            }
            log("server: " + users.size() + " users added (add-user.sh -a) in " + secondsSince(t0) + " s");
        });
        log("server: WildFly " + version() + ", base " + base);
    }

    void awaitUsers() throws Exception {
        addingUsers.get(300, TimeUnit.SECONDS);
    }

    /** Starts the server and waits until it is ready; {@code props} become system properties (-D). */
    void start(String heap, List<String> jvmArgs, List<String> props) throws Exception {
        long t0 = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of("bash", jbossHome.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.server.log.dir=" + base.resolve("log"),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1", "-Djboss.node.name=" + nodeId,
                "-Djboss.socket.binding.port-offset=" + offset));
        props.forEach(p -> cmd.add("-D" + p));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logDir.resolve("wildfly-console.log").toFile());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // the script forwards its SIGTERM to the JVM
        pb.environment().put("JAVA_OPTS", "-Xms64m -Xmx" + heap + " -Djava.net.preferIPv4Stack=true "
                + String.join(" ", jvmArgs));
        process = pb.start();
        awaitReady(180);
        log("server: started in " + secondsSince(t0) + " s (http " + httpPort() + ", management " + managementPort()
                + ", node " + nodeId + ")");
    }

    /**
     * The example app's server settings (configure-example.cli, with its reload), the .rar, the adapter
     * (configure-adapter.cli with {@code adapterProps}), the example app and the bench deployment: the project's CLI
     * scripts as they are, in one CLI run (a CLI start costs seconds on a busy machine).
     */
    void deploy(List<String> adapterProps) throws Exception {
        long t0 = System.nanoTime();
        Path script = base.resolve("bench-deploy.cli");
        Files.writeString(script, "# generated by the benchmark (WildFlyServer): the project's CLI scripts in one run\n"
                + Files.readString(existing("example.cli"))
                + "\ndeploy " + existing("rar") + " --name=cephfs-jca.rar\n"
                + Files.readString(existing("adapter.cli"))
                + "\ndeploy " + existing("example.war") + " --name=cephfs-jca-example.war\n"
                + "deploy " + existing("bench.war") + " --name=cephfs-jca-bench.war\n");
        List<String> args = new ArrayList<>(List.of("--file=" + script, "--resolve-parameter-values"));
        adapterProps.forEach(p -> args.add("-D" + p));
        cli("deploy", args);
        awaitReady(120);
        log("server: configured and deployed (configure-example.cli + reload, rar, configure-adapter.cli, example "
                + "app, bench deployment; one CLI run) in " + secondsSince(t0) + " s");
    }

    private void awaitReady(int seconds) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly exited (" + process.exitValue() + "): see "
                        + logDir.resolve("wildfly-console.log"));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("WildFly not ready within " + seconds + " s: see " + base.resolve("log"));
    }

    private void cli(String name, List<String> args) throws Exception {
        // --timeout: also how long a reload waits for the server to come back (5 s by default: too short on a busy
        // machine)
        List<String> cmd = new ArrayList<>(List.of("bash", jbossHome.resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=remote+http://127.0.0.1:" + managementPort(), "--timeout=120000"));
        cmd.addAll(args);
        run("cli-" + name, 180, cmd);
    }

    /** Runs a tool of the distribution (bounded); its output goes to the log dir, which it must not contain secrets. */
    private void run(String name, int timeoutSeconds, List<String> cmd) throws Exception {
        Path out = logDir.resolve("wildfly-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroy();
            throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "); see " + out + ":\n"
                    + Files.readString(out));
        }
    }

    /** A clean shutdown (the adapter unmounts its sessions); SIGTERM to the script if that fails. */
    @Override
    public void close() throws Exception {
        if (process == null || !process.isAlive()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            cli("shutdown", List.of("--command=:shutdown"));
        } catch (Exception e) {
            log("server: :shutdown failed (" + e.getMessage() + "); SIGTERM");
            process.destroy();
        }
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            // e.g. the adapter's unmount waits for a cluster that went away: SIGTERM (the script forwards it); never
            // SIGKILL here, the harness's clean-up resets the sessions the server leaves
            log("server: not stopped after 90 s; SIGTERM");
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("WildFly did not stop (pid " + jvm().pid() + "): stop it by hand");
            }
        }
        log("server: stopped in " + secondsSince(t0) + " s");
        keepServerLog();
    }

    /** server.log into the log dir, with the run's other raw outputs (the log dir holds files only). */
    void keepServerLog() throws IOException {
        Path log = base.resolve("log/server.log");
        if (Files.exists(log)) {
            Files.copy(log, logDir.resolve("wildfly-server.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
