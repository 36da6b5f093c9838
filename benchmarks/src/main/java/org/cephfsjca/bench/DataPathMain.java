package org.cephfsjca.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;

import org.cephfsjca.adapter.CephManagedConnectionFactory;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.adapter.CephConnectionFactoryImpl;
import org.cephfsjca.api.CephConnectionFactory;

/**
 * The Java side of the data-path benchmark, one implementation per JVM: {@code --impl jni|binding|adapter}. Same
 * arguments, operations, timing and output as the C floor ({@code src/main/c/cephbench.c}):
 * {@code RESULT <impl> <op> <threads> <unit> <v1>,<v2>,...}, one value per repetition.
 */
public final class DataPathMain {

    private String impl;
    private String root;
    private String listDir;
    private String seqDir;
    private int threads = 1;
    private Set<String> ops = Set.of("noop", "create", "stat", "read4k", "lock", "list", "seq64k", "seq4m");
    private long fastMs = 500;
    private long slowMs = 1000;
    private long warmupMs = 500;
    /** Warm-up of the slow operations (create, lock, list: ~2,000/s or less), long enough for C2 to compile them. */
    private long slowWarmupMs = 1500;
    /** create's path is the longest to compile: see BenchOptions.createWarmupMs. */
    private long createWarmupMs = 5000;
    private int reps = 5;
    private int seqReps = 3;
    private long seqTotal = 256L << 20;
    /** Set on every client alike (see CephOptions). */
    private final java.util.Map<String, String> cephOptions = new java.util.LinkedHashMap<>();
    private final long t0 = System.nanoTime();

    private List<Worker> workers;
    private long[] createSeq;
    private long[] warmSeq;
    /** Set during a warm-up (before its threads start): create then cycles over WARM_FILES names per thread. */
    private boolean warming;
    /** create's warm-up reuses this many names per thread, so that 5 s of it do not fill the 2 GiB test cluster. */
    private static final int WARM_FILES = 128;
    /** CPU seconds of the calling threads per op (per byte for seq*) in the last repetition. */
    private double lastCpuPerOp;
    private final java.lang.management.ThreadMXBean cpuClock = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        new DataPathMain().run(args);
        System.exit(0);
    }

    private void run(String[] args) throws Exception {
        parse(args);
        CephResourceAdapter ra = null;
        CephConnectionFactory factory = null;
        workers = new ArrayList<>();
        createSeq = new long[threads];
        warmSeq = new long[threads];
        try {
            if (impl.equals("adapter")) {
                ra = new CephResourceAdapter();
                ra.setConfigFile(Env.conf());
                ra.setFileSystemName(Env.fsName());
                ra.setNodeId("bench-dp-" + UUID.randomUUID().toString().substring(0, 8));
                ra.setTakeoverAfterMillis(0); // measured alone: no takeover of other benchmark nodes in the background
                ra.setSessionSlots(Math.max(threads, 4));
                if (!cephOptions.isEmpty()) {
                    ra.setCephOptions(CephOptions.asAdapterProperty(cephOptions));
                }
                ra.start(null);
                CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
                mcf.setResourceAdapter(ra);
                factory = (CephConnectionFactory) mcf.createConnectionFactory();
            }
            for (int i = 0; i < threads; i++) {
                Worker w = switch (impl) {
                    case "jni" -> new JniWorker(i, cephOptions);
                    case "binding" -> new BindingWorker(i, cephOptions);
                    case "adapter" -> new AdapterWorker(factory);
                    default -> throw new IllegalArgumentException("--impl must be jni, binding or adapter: " + impl);
                };
                workers.add(w);
                String dir = root + "/t" + i;
                w.setup(new Worker.Paths(dir, dir + "/data-1m", dir + "/lockfile",
                        seqDir + "/seq-" + threads + "t-" + i, listDir));
            }
            progress("mounted and set up");
            printReadBack(workers.get(0));
            timed("noop", fastMs);
            timed("create", slowMs);
            timed("stat", fastMs);
            timed("read4k", fastMs);
            timed("lock", slowMs);
            timed("list", slowMs);
            sequential("seq64k", 64 << 10);
            sequential("seq4m", 4 << 20);
        } finally {
            for (Worker w : workers) {
                try {
                    w.close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
            }
            if (factory instanceof CephConnectionFactoryImpl) {
                ((CephConnectionFactoryImpl) factory).close();
            }
            if (ra != null) {
                ra.stop();
            }
            progress("unmounted");
        }
    }

    /** {@code CONF <impl> name=value, ...}: the options as the client reports them (ceph_conf_get). */
    private void printReadBack(Worker w) throws Exception {
        java.util.Map<String, String> got = new java.util.LinkedHashMap<>();
        for (String name : cephOptions.keySet()) {
            got.put(name, w.option(name));
        }
        System.out.println("CONF\t" + impl + "\t" + CephOptions.describe(got));
        System.out.flush();
    }

    private void timed(String op, long budgetMs) throws Exception {
        if (!ops.contains(op)) {
            return;
        }
        warming = true;
        rep(op, op.equals("create") ? createWarmupMs : budgetMs == slowMs ? slowWarmupMs : warmupMs, 0);
        warming = false;
        double[] rate = new double[reps];
        double[] cpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            rate[r] = rep(op, budgetMs, 0);
            cpu[r] = lastCpuPerOp * 1e6;
        }
        System.out.println(line("RESULT", op, "ops/s", rate));
        System.out.println(line("CPU", op, "us/op", cpu));
        System.out.flush();
        progress(op);
    }

    private void sequential(String name, int bs) throws Exception {
        if (!ops.contains(name)) {
            return;
        }
        rep("seqwrite", 0, bs);
        rep("seqread", 0, bs);
        double[] w = new double[seqReps];
        double[] r = new double[seqReps];
        double[] wc = new double[seqReps];
        double[] rc = new double[seqReps];
        for (int i = 0; i < seqReps; i++) {
            w[i] = rep("seqwrite", 0, bs) / (1 << 20);
            wc[i] = lastCpuPerOp * (1 << 20) * 1e6;
            r[i] = rep("seqread", 0, bs) / (1 << 20);
            rc[i] = lastCpuPerOp * (1 << 20) * 1e6;
        }
        String suffix = name.substring(3);
        System.out.println(line("RESULT", "seqwrite-" + suffix, "MiB/s", w));
        System.out.println(line("CPU", "seqwrite-" + suffix, "us/MiB", wc));
        System.out.println(line("RESULT", "seqread-" + suffix, "MiB/s", r));
        System.out.println(line("CPU", "seqread-" + suffix, "us/MiB", rc));
        System.out.flush();
        progress(name);
    }

    private String line(String kind, String op, String unit, double[] values) {
        StringBuilder sb = new StringBuilder(kind + "\t" + impl + "\t" + op + "\t" + threads + "\t" + unit + "\t");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", values[i]));
        }
        return sb.toString();
    }

    /** One repetition on all threads; the aggregate rate (ops/s, or bytes/s for seq*). */
    private double rep(String op, long budgetMs, int bs) throws Exception {
        CyclicBarrier gate = new CyclicBarrier(threads);
        long[] start = new long[threads];
        long[] end = new long[threads];
        long[] count = new long[threads];
        long[] cpu = new long[threads];
        Throwable[] failure = new Throwable[1];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            final int idx = i;
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    long cpu0 = cpuClock.getCurrentThreadCpuTime();
                    start[idx] = System.nanoTime();
                    count[idx] = runOp(idx, op, start[idx] + budgetMs * 1_000_000L, bs);
                    end[idx] = System.nanoTime();
                    cpu[idx] = cpuClock.getCurrentThreadCpuTime() - cpu0;
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "bench-" + i);
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException(impl + " " + op + " failed: " + failure[0], failure[0]);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long total = 0;
        long cpuTotal = 0;
        for (int i = 0; i < threads; i++) {
            first = Math.min(first, start[i]);
            last = Math.max(last, end[i]);
            total += count[i];
            cpuTotal += cpu[i];
        }
        lastCpuPerOp = cpuTotal / 1e9 / total;
        return total / ((last - first) / 1e9);
    }

    private long runOp(int idx, String op, long deadline, int bs) throws Exception {
        Worker w = workers.get(idx);
        long ops = 0;
        switch (op) {
            case "create" -> {
                String dir = root + "/t" + idx + "/create/";
                do {
                    w.create(dir + (warming ? "w" + (warmSeq[idx]++ % WARM_FILES) : "c" + createSeq[idx]++));
                    ops++;
                } while (System.nanoTime() < deadline);
            }
            case "noop" -> {
                do {
                    for (int i = 0; i < Worker.NOOP_BATCH; i++) {
                        if (w.noop() <= 0) {
                            throw new IllegalStateException("ceph_get_stripe_unit_granularity gave nothing");
                        }
                    }
                    ops += Worker.NOOP_BATCH;
                } while (System.nanoTime() < deadline);
            }
            case "stat" -> {
                do {
                    w.stat();
                    ops++;
                } while (System.nanoTime() < deadline);
            }
            case "read4k" -> {
                long off = 0;
                do {
                    w.read4k(off);
                    off = (off + 4096) & (Worker.READ_FILE_SIZE - 1);
                    ops++;
                } while (System.nanoTime() < deadline);
            }
            case "lock" -> {
                do {
                    w.lock();
                    ops++;
                } while (System.nanoTime() < deadline);
            }
            case "list" -> {
                do {
                    int n = w.list();
                    if (n != 10_000) {
                        throw new IllegalStateException("listing gave " + n + " entries, expected 10000");
                    }
                    ops++;
                } while (System.nanoTime() < deadline);
            }
            case "seqwrite" -> {
                w.seqWrite(bs, seqTotal / threads);
                ops = seqTotal / threads;
            }
            case "seqread" -> {
                w.seqRead(bs, seqTotal / threads);
                ops = seqTotal / threads;
            }
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
        return ops;
    }

    private void progress(String what) {
        System.err.printf(Locale.ROOT, "%s[%dt] %7.2f s  %s%n", impl, threads, (System.nanoTime() - t0) / 1e9, what);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[i + 1];
            switch (a) {
                case "--impl" -> impl = v;
                case "--root" -> root = v;
                case "--list-dir" -> listDir = v;
                case "--seq-dir" -> seqDir = v;
                case "--threads" -> threads = Integer.parseInt(v);
                case "--ops" -> ops = Set.of(v.split(","));
                case "--fast-ms" -> fastMs = Long.parseLong(v);
                case "--slow-ms" -> slowMs = Long.parseLong(v);
                case "--warmup-ms" -> warmupMs = Long.parseLong(v);
                case "--slow-warmup-ms" -> slowWarmupMs = Long.parseLong(v);
                case "--create-warmup-ms" -> createWarmupMs = Long.parseLong(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--seq-reps" -> seqReps = Integer.parseInt(v);
                case "--seq-mib" -> seqTotal = Long.parseLong(v) << 20;
                case "--ceph-option" -> CephOptions.parseArg(v, cephOptions);
                case "--conf", "--fs" -> {
                    // the cluster comes from CEPH_CONF / CEPH_FS_NAME; accepted for symmetry with the C program
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (impl == null || root == null || listDir == null || seqDir == null) {
            throw new IllegalArgumentException("usage: DataPathMain --impl jni|binding|adapter --root DIR --list-dir DIR "
                    + "--seq-dir DIR [--threads N] [--ops ...] [--fast-ms 500] [--slow-ms 1000] [--warmup-ms 500] "
                    + "[--reps 5] [--seq-reps 3] [--seq-mib 256] [--ceph-option name=value]...");
        }
    }
}
