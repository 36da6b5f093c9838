package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.resource.spi.ResourceAdapterInternalException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter starts while no monitor answers: the start must fail within mountTimeoutSeconds (plus a small margin),
 * with a message saying the cluster is unreachable and naming the monitor addresses and the timeout. It must never
 * block a server's boot. Loopback only: a port nobody listens on (connection refused), and a listener that accepts
 * and never speaks (a hung monitor).
 */
class MonitorDownTest {

    private static final int MOUNT_TIMEOUT_SECONDS = 3;
    /** JVM, config and thread start-up on a loaded 2-core machine; measured start failures took ~3.0-3.1 s. */
    private static final long MARGIN_MILLIS = 2000;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void noListenerFailsTheStartWithinTheMountTimeout() throws Exception {
        int v2 = unusedPort();
        int v1 = unusedPort();
        assertStartFailsInTime("[v2:127.0.0.1:" + v2 + ",v1:127.0.0.1:" + v1 + "]", null, "127.0.0.1:" + v2);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void silentMonitorFailsTheStartWithinTheMountTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String mon = "127.0.0.1:" + silent.getLocalPort();
            assertStartFailsInTime(mon, null, mon);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withoutTheOwnerCheckTheResetsReportTheClusterUnreachable() throws Exception {
        // leaseIntervalMillis=0: the slot resets are then the start's only contact with the cluster
        String mon = "127.0.0.1:" + unusedPort();
        assertStartFailsInTime(mon, ra -> ra.setLeaseIntervalMillis(0), mon);
    }

    private static void assertStartFailsInTime(String monHost, Consumer<CephResourceAdapter> tweak, String named) {
        CephResourceAdapter ra = Adapters.configured(Adapters.freshNodeId("mondown"), 4);
        ra.setMonHost(monHost);
        ra.setMountTimeoutSeconds(MOUNT_TIMEOUT_SECONDS);
        if (tweak != null) {
            tweak.accept(ra);
        }
        long t0 = System.nanoTime();
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("monitor down (%s): start failed after %d ms (mountTimeoutSeconds=%d): %s%n", monHost,
                millis, MOUNT_TIMEOUT_SECONDS, e.getMessage());
        assertTrue(millis <= MOUNT_TIMEOUT_SECONDS * 1000L + MARGIN_MILLIS, "start must fail within the mount timeout "
                + "+ " + MARGIN_MILLIS + " ms, took " + millis + " ms");
        String msg = e.getMessage();
        assertTrue(msg.contains("unreachable") && msg.contains(named) && msg.contains("mountTimeoutSeconds="
                + MOUNT_TIMEOUT_SECONDS), msg);
        assertNull(ra.getLastRecovery(), "a failed start serves nothing");
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
