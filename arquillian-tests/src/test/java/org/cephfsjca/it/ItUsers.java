package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The example app's users in the test server, made the way an operator makes them: with the server's own
 * {@code bin/add-user.sh -a} (application realm; the groups become roles). add-user.sh writes
 * application-users.properties and application-roles.properties, which the running server's realm re-reads on the
 * next sign-in. A user already there with the same password is left alone (add-user.sh costs a JVM start).
 */
public final class ItUsers {

    /** A user of the application realm. */
    public record User(String name, String password, String roles) {
        @Override
        public String toString() {
            return name + " (" + roles + ")";
        }
    }

    public static final User EDITOR = new User("it-editor", "It-editor-pw1!", "editor");
    public static final User EDITOR2 = new User("it-editor2", "It-editor2-pw1!", "editor");
    public static final User READER = new User("it-reader", "It-reader-pw1!", "reader");
    public static final User ADMIN = new User("it-admin", "It-admin-pw1!", "admin");
    /** The load test's three users. */
    public static final List<User> LOAD = List.of(new User("it-load-1", "It-load-1-pw1!", "editor"),
            new User("it-load-2", "It-load-2-pw1!", "editor"), new User("it-load-3", "It-load-3-pw1!", "editor"));

    private static volatile boolean ensured;

    private ItUsers() {
    }

    public static List<User> all() {
        List<User> all = new ArrayList<>(List.of(EDITOR, EDITOR2, READER, ADMIN));
        all.addAll(LOAD);
        return all;
    }

    /** Makes sure every test user exists with its password and roles (once per test JVM). */
    public static synchronized void ensure() {
        if (ensured) {
            return;
        }
        Path conf = ItEnv.jbossHome().resolve("standalone/configuration");
        for (User u : all()) {
            if (!present(conf, u)) {
                addUser(u);
            }
        }
        ensured = true;
    }

    private static boolean present(Path conf, User u) {
        try {
            String users = Files.readString(conf.resolve("application-users.properties"), StandardCharsets.UTF_8);
            String roles = Files.readString(conf.resolve("application-roles.properties"), StandardCharsets.UTF_8);
            return users.lines().anyMatch(l -> l.equals(u.name() + "=" + digest(u)))
                    && roles.lines().anyMatch(l -> l.equals(u.name() + "=" + u.roles()));
        } catch (IOException e) {
            return false;
        }
    }

    /** What add-user.sh stores: HEX(MD5(user:realm:password)). */
    private static String digest(User u) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest((u.name() + ":ApplicationRealm:" + u.password()).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void addUser(User u) {
        ProcessBuilder pb = WildFlyTool.process("add-user.sh",
                List.of("-a", "-u", u.name(), "-p", u.password(), "-g", u.roles()));
        long t0 = System.nanoTime();
        try {
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("add-user.sh -a -u " + u.name() + " failed: " + out);
            }
            System.out.printf("[it] add-user.sh -a -u %s -g %s: %d ms%n", u.name(), u.roles(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new AssertionError("cannot run add-user.sh for " + u.name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
