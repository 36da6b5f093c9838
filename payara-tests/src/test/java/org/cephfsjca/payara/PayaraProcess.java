package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItUsers;

/**
 * A Payara Micro JVM this test JVM starts itself (the crash test: Arquillian's Payara Micro container boots the server
 * inside its deploy and ends it with SIGTERM, with no way to SIGKILL it). Boots with the files of a
 * {@link PayaraConfig} and the example war; ready when the app answers /api/status, bounded at 300 s; its output goes to
 * a log file next to the boot files.
 */
final class PayaraProcess implements AutoCloseable {

    private static final long BOOT_LIMIT_MS = 300_000;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    final long bootMillis;

    private PayaraProcess(Process process, Path log, long bootMillis) {
        this.process = process;
        this.log = log;
        this.bootMillis = bootMillis;
    }

    static PayaraProcess start(PayaraConfig config, String label) throws Exception {
        return start(config, label, PayaraEnv.war());
    }

    /** As {@link #start(PayaraConfig, String)}, deploying {@code war} (the example war with test classes added). */
    static PayaraProcess start(PayaraConfig config, String label, Path war) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx" + PayaraEnv.prop("it.server.heap"), "-Djava.net.preferIPv4Stack=true", "-jar",
                PayaraEnv.microJar().toString()));
        cmd.addAll(config.microOptions());
        cmd.addAll(List.of("--deploy", war.toString()));
        Path log = config.dir.resolve("server-" + label + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PayaraProcess server = new PayaraProcess(p, log, 0);
        String status = "http://127.0.0.1:" + config.httpPort + "/cephfs-jca-example/api/status";
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOT_LIMIT_MS);
        while (true) {
            if (!p.isAlive()) {
                fail("Payara Micro exited with " + p.exitValue() + " while booting; log " + log + ":\n" + server.tail());
            }
            if (answers(status)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
                fail("Payara Micro did not answer " + status + " within " + BOOT_LIMIT_MS + " ms; log " + log + ":\n"
                        + server.tail());
            }
            TimeUnit.MILLISECONDS.sleep(250); // polling interval of a condition bounded by the deadline above
        }
        return new PayaraProcess(p, log, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static boolean answers(String url) {
        try {
            HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", Http.basic(ItUsers.EDITOR)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The server's output (stdout and stderr). */
    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits for the JVM to be gone. */
    void kill() throws Exception {
        assertTrue(process.toHandle().destroyForcibly(), "SIGKILL sent to " + process.pid());
        process.onExit().get(60, TimeUnit.SECONDS);
    }

    /** SIGTERM (Payara's shutdown undeploys the apps and stops the adapter); SIGKILL after 120 s. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            System.out.printf("[it] payara pid %d did not stop within 120 s of SIGTERM: SIGKILL%n", process.pid());
            process.destroyForcibly().onExit().get(60, TimeUnit.SECONDS);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
