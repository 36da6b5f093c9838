package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the Payara tests run with, from the failsafe configuration (pom.xml). Missing pieces FAIL the tests. */
final class PayaraEnv {

    private PayaraEnv() {
    }

    static String prop(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isEmpty()) {
            fail("system property " + name + " is not set: run the tests through Maven (mvn verify), which sets it");
        }
        return v;
    }

    static Path file(String property) {
        Path p = Path.of(prop(property));
        if (!Files.isRegularFile(p)) {
            fail(p + " (" + property + ") does not exist: build the whole reactor");
        }
        return p;
    }

    static Path microJar() {
        return existing(Path.of(prop("it.deployments"), "payara-micro.jar"));
    }

    static Path rar() {
        return existing(Path.of(prop("it.deployments"), "cephfs-jca.rar"));
    }

    static Path war() {
        return existing(Path.of(prop("it.deployments"), "cephfs-jca-example.war"));
    }

    static Path workDir(String name) {
        return Path.of(prop("it.payara.dir"), name);
    }

    static int intProp(String name) {
        return Integer.parseInt(prop(name));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            fail(p + " does not exist (the pom copies it there; build the whole reactor)");
        }
        return p;
    }
}
