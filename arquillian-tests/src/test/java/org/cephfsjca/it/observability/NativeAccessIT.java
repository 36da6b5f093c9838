package org.cephfsjca.it.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

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
    void theAdapterReadsNativeMemoryWithPlainLoads() {
        List<String> lines = ServerLog.whole(ServerLog.path()).lines().stream()
                .filter(l -> l.contains("cephfs-jca: native access: ")).collect(Collectors.toList());
        assertFalse(lines.isEmpty(), "the adapter logs its native access when it starts");
        String last = lines.get(lines.size() - 1);
        System.out.println("[it] " + last);
        assertTrue(last.contains("libcephfs 16.") && last.contains("through JNA "), last);
        assertTrue(last.contains("read with sun.misc.Unsafe"), last);
    }
}
