package org.cephfsjca.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code --server-*} options of the server part ({@code --parts server}; see scripts/bench.sh), with the defaults
 * of a full run (about 4-5 minutes with the WildFly boot).
 */
final class ServerOptions {

    /** http 8080 + offset, management 9990 + offset: clear of the demo (0) and the ITs' servers (200, 300). */
    /** The sub-parts to run, in this order whatever the order given. */
    List<String> steps = List.of("ops", "listing", "http", "load", "large");
    int portOffset = 500;
    String heap = "512m";
    List<String> jvmArgs = List.of();
    List<String> ops = OpLoop.OPS;
    int opsReps = 3;
    long opsMs = 300;
    long opsWarmupMs = 300;
    int docs = 20;
    int listings = 20;
    List<Integer> wrkConnections = List.of(1, 8, 32);
    List<String> wrkSizes = List.of("4k", "1m");
    int wrkSeconds = 3;
    int wrkReps = 2;
    int loadConnections = 32;
    int loadSeconds = 30;
    int largeMib = 1024;
    int largeReps = 5;
    List<String> largeTransfers = LargeIo.TRANSFERS;

    /** Takes {@code --server-<name> value}; false when {@code arg} is not one of these. */
    boolean set(String arg, String v) {
        switch (arg) {
            case "--server-steps" -> steps = List.of(v.split(","));
            case "--server-port-offset" -> portOffset = Integer.parseInt(v);
            case "--server-heap" -> heap = v;
            case "--server-jvm-args" -> jvmArgs = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
            case "--server-ops" -> ops = List.of(v.split(","));
            case "--server-ops-reps" -> opsReps = Integer.parseInt(v);
            case "--server-ops-ms" -> opsMs = Long.parseLong(v);
            case "--server-ops-warmup-ms" -> opsWarmupMs = Long.parseLong(v);
            case "--server-docs" -> docs = Integer.parseInt(v);
            case "--server-listings" -> listings = Integer.parseInt(v);
            case "--server-wrk-connections" -> wrkConnections = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
            case "--server-wrk-sizes" -> wrkSizes = List.of(v.split(","));
            case "--server-wrk-seconds" -> wrkSeconds = Integer.parseInt(v);
            case "--server-wrk-reps" -> wrkReps = Integer.parseInt(v);
            case "--server-load-connections" -> loadConnections = Integer.parseInt(v);
            case "--server-load-seconds" -> loadSeconds = Integer.parseInt(v);
            case "--server-large-mib" -> largeMib = Integer.parseInt(v);
            case "--server-large-reps" -> largeReps = Integer.parseInt(v);
            case "--server-large-transfers" -> largeTransfers = LargeIo.transfers(v);
            default -> {
                return false;
            }
        }
        return true;
    }

    boolean runs(String step) {
        return steps.contains(step);
    }

    /** "4k" → 4096, "1m" → 1 MiB. */
    static int bytes(String size) {
        String s = size.toLowerCase();
        int n = Integer.parseInt(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            default -> throw new IllegalArgumentException("size like 4k or 1m: " + size);
        };
    }
}
