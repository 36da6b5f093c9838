package org.cephfsjca.bench;

import java.util.ArrayList;
import java.util.List;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.libcephfs.CephMount;

/**
 * One implementation of the hand-off benchmark: its H and R, and the mounts, adapters or child JVMs behind them,
 * which closing releases (in reverse order of creation).
 */
record HandoffRow(String key, HandoffHolder holder, HandoffReader reader, List<AutoCloseable> resources)
        implements AutoCloseable {

    /** The rows in report order: key and title. */
    static final String[][] ROWS = {
        {"two-mounts", "binding, two mounts"},
        {"shared-mount", "binding, one shared mount"},
        {"adapter", "adapter, one server"},
        {"two-jvms", "binding, two JVMs"},
        {"adapter-two-jvms", "adapter, two JVMs (node ids differ)"},
    };

    /** The row every other's p99 is compared with. */
    static final String BASELINE = "shared-mount";

    /** Mounts, starts or spawns what row {@code key} needs. */
    static HandoffRow open(String key, Children children, Integer leaseIntervalMs) throws Exception {
        List<AutoCloseable> res = new ArrayList<>();
        try {
            switch (key) {
                case "two-mounts" -> {
                    // the adapter's old design: each pooled session its own libcephfs client
                    CephMount h = add(res, BindingWorker.mount());
                    CephMount r = add(res, BindingWorker.mount());
                    return new HandoffRow(key, new HandoffHolder.Binding(h), new BatchReader(BatchReader.binding(r)),
                            res);
                }
                case "shared-mount" -> {
                    CephMount m = add(res, BindingWorker.mount());
                    return new HandoffRow(key, new HandoffHolder.Binding(m), new BatchReader(BatchReader.binding(m)),
                            res);
                }
                case "adapter" -> {
                    BenchAdapter a = add(res, BenchAdapter.start(BenchAdapter.freshNodeId("ho"), 4, leaseIntervalMs));
                    CephConnection h = add(res, a.factory.getConnection());
                    CephConnection r = add(res, a.factory.getConnection());
                    return new HandoffRow(key, new HandoffHolder.Adapter(h), new BatchReader(BatchReader.adapter(r)),
                            res);
                }
                case "two-jvms" -> {
                    HandoffChild h = add(res, HandoffChild.start(children, "handoff-" + key + "-H",
                            List.of("holder", "binding")));
                    HandoffChild r = add(res, HandoffChild.start(children, "handoff-" + key + "-R",
                            List.of("reader", "binding")));
                    return new HandoffRow(key, h, r, res);
                }
                case "adapter-two-jvms" -> {
                    HandoffChild h = add(res, HandoffChild.start(children, "handoff-" + key + "-H",
                            adapterArgs("holder", BenchAdapter.freshNodeId("hoH"), leaseIntervalMs)));
                    HandoffChild r = add(res, HandoffChild.start(children, "handoff-" + key + "-R",
                            adapterArgs("reader", BenchAdapter.freshNodeId("hoR"), leaseIntervalMs)));
                    return new HandoffRow(key, h, r, res);
                }
                default -> throw new IllegalArgumentException("unknown hand-off row " + key);
            }
        } catch (Exception | Error e) {
            closeAll(res);
            throw e;
        }
    }

    static String title(String key) {
        for (String[] r : ROWS) {
            if (r[0].equals(key)) {
                return r[1];
            }
        }
        return key;
    }

    private static List<String> adapterArgs(String role, String node, Integer leaseIntervalMs) {
        List<String> a = new ArrayList<>(List.of(role, "adapter", node));
        if (leaseIntervalMs != null) {
            a.add(leaseIntervalMs.toString());
        }
        return a;
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> res, T r) {
        res.add(r);
        return r;
    }

    /** H releases what it holds first, then the mounts, adapters or children go (a child twice is harmless). */
    @Override
    public void close() {
        closeAll(List.of(reader, holder));
        closeAll(resources);
    }

    /** Closes in reverse order; a failure is logged, the rest still closed. */
    private static void closeAll(List<AutoCloseable> res) {
        for (int i = res.size() - 1; i >= 0; i--) {
            try {
                res.get(i).close();
            } catch (Exception e) {
                BenchLog.log("hand-off: close failed: " + e);
            }
        }
    }
}
