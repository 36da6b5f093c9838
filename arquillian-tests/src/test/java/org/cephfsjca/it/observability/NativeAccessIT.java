package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.ServerLog;

/**
 * The binding's fast path inside WildFly: JBoss Modules hides the JDK's jdk.unsupported module from a deployment
 * unless it asks (the .rar's jboss-deployment-structure.xml does), and without sun.misc.Unsafe every buffer address
 * costs a JNI call. The adapter logs which way it reads native memory when it starts.
 */
class NativeAccessIT extends ExampleAppClient {

    @Test
    void theAdapterReadsNativeMemoryWithPlainLoads() throws Exception {
        Path dir = ServerLog.path().getParent();
        long suiteStart = ManagementFactory.getRuntimeMXBean().getStartTime(); // this JVM started the server
        List<String> lines;
        try (Stream<Path> logs = Files.list(dir)) { // server.log, and server.log.<date> if it rotated meanwhile
            lines = logs.filter(f -> f.getFileName().toString().startsWith("server.log"))
                    .filter(f -> f.toFile().lastModified() >= suiteStart) // not a rotated log of an earlier suite
                    .flatMap(f -> ServerLog.whole(f).lines().stream())
                    .filter(l -> l.contains("cephfs-jca: native access: ")).collect(Collectors.toList());
        }
        assertFalse(lines.isEmpty(), "the adapter logs its native access when it starts");
        for (String line : lines) { // every start of the adapter in this server
            System.out.println("[it] " + line);
            assertTrue(line.contains("libcephfs 16.") && line.contains("through JNA "), line);
            assertTrue(line.contains("read with sun.misc.Unsafe"), line);
        }
    }
}
