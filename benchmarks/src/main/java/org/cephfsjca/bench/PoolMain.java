package org.cephfsjca.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;

import org.cephfsjca.adapter.CephConnectionFactoryImpl;
import org.cephfsjca.adapter.CephManagedConnectionFactory;
import org.cephfsjca.adapter.CephResourceAdapter;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Pool benchmark (child JVM): connection get+close from a warm pool (the non-managed factory's own pool), 1 and 4
 * threads, against a fresh session: our binding's create+init+mount and unmount+release, and the adapter's cold
 * getConnection (a new session: create, init, reset of the slot uuid, mount). Prints
 * {@code POOL <measure> <unit> <v1>,<v2>,...}.
 */
public final class PoolMain {

    private static final int REPS = 5;

    public static void main(String[] args) throws Exception {
        long budgetMs = args.length > 0 ? Long.parseLong(args[0]) : 300;
        int freshReps = args.length > 1 ? Integer.parseInt(args[1]) : REPS;
        java.util.Map<String, String> cephOptions = new java.util.LinkedHashMap<>(); // --ceph-option name=value...
        for (int i = 2; i + 1 < args.length; i += 2) {
            CephOptions.parseArg(args[i + 1], cephOptions);
        }
        CephResourceAdapter ra = new CephResourceAdapter();
        ra.setConfigFile(Env.conf());
        ra.setFileSystemName(Env.fsName());
        ra.setNodeId("bench-pool-" + UUID.randomUUID().toString().substring(0, 8));
        ra.setTakeoverAfterMillis(0); // measured alone: no takeover of other benchmark nodes in the background
        ra.setSessionSlots(8);
        if (!cephOptions.isEmpty()) {
            ra.setCephOptions(CephOptions.asAdapterProperty(cephOptions));
        }
        ra.start(null);
        try {
            CephManagedConnectionFactory mcf = new CephManagedConnectionFactory();
            mcf.setResourceAdapter(ra);
            CephConnectionFactoryImpl cf = (CephConnectionFactoryImpl) mcf.createConnectionFactory();
            try {
                // fill the pool with 4 sessions
                List<CephConnection> held = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    held.add(cf.getConnection());
                }
                held.forEach(CephConnection::close);
                for (int threads : new int[] {1, 4}) {
                    getClose(cf, threads, 500, new long[2]); // warm-up
                    double[] us = new double[REPS];
                    double[] cpu = new double[REPS];
                    for (int r = 0; r < REPS; r++) {
                        long[] opsAndCpu = new long[2];
                        double opsPerSec = getClose(cf, threads, budgetMs, opsAndCpu);
                        us[r] = threads * 1e6 / opsPerSec; // per get+close, as one thread sees it
                        cpu[r] = opsAndCpu[1] / 1e3 / opsAndCpu[0];
                    }
                    print("getclose-warm-" + threads + "t", "us", us);
                    print("getclose-warm-" + threads + "t-cpu", "us", cpu);
                }
            } finally {
                cf.close();
            }

            double[] mount = new double[freshReps];
            double[] unmount = new double[freshReps];
            for (int r = 0; r < freshReps; r++) {
                long t0 = System.nanoTime();
                CephMount m = BindingWorker.mount(cephOptions);
                long t1 = System.nanoTime();
                m.close();
                long t2 = System.nanoTime();
                mount[r] = (t1 - t0) / 1e6;
                unmount[r] = (t2 - t1) / 1e6;
            }
            print("fresh-mount", "ms", mount);
            print("fresh-unmount", "ms", unmount);

            double[] cold = new double[freshReps];
            double[] destroy = new double[freshReps];
            for (int r = 0; r < freshReps; r++) {
                CephConnectionFactoryImpl fresh = (CephConnectionFactoryImpl) mcf.createConnectionFactory();
                long t0 = System.nanoTime();
                CephConnection c = fresh.getConnection();
                long t1 = System.nanoTime();
                c.close();
                fresh.close();
                long t2 = System.nanoTime();
                cold[r] = (t1 - t0) / 1e6;
                destroy[r] = (t2 - t1) / 1e6;
            }
            print("adapter-cold-get", "ms", cold);
            print("adapter-destroy", "ms", destroy);
        } finally {
            ra.stop();
        }
        System.exit(0);
    }

    /**
     * get+close on {@code threads} threads for {@code budgetMs}; the aggregate rate (ops/s). Sets {@code opsAndCpu}
     * to the calls made and the CPU time (ns) the whole JVM used meanwhile: with GC and reference handling, which a
     * loaded machine's wall time hides in its noise.
     */
    private static double getClose(CephConnectionFactoryImpl cf, int threads, long budgetMs, long[] opsAndCpu)
            throws Exception {
        long cpu0 = processCpuNanos();
        CyclicBarrier gate = new CyclicBarrier(threads);
        long[] start = new long[threads];
        long[] end = new long[threads];
        long[] count = new long[threads];
        Throwable[] failure = new Throwable[1];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int idx = i;
            Thread t = new Thread(() -> {
                try {
                    gate.await();
                    long s = System.nanoTime();
                    long deadline = s + budgetMs * 1_000_000L;
                    long n = 0;
                    do {
                        CephConnection c = cf.getConnection();
                        c.close();
                        n++;
                    } while (System.nanoTime() < deadline);
                    start[idx] = s;
                    end[idx] = System.nanoTime();
                    count[idx] = n;
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        opsAndCpu[1] = processCpuNanos() - cpu0;
        if (failure[0] != null) {
            throw new IllegalStateException("get+close failed", failure[0]);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long total = 0;
        for (int i = 0; i < threads; i++) {
            first = Math.min(first, start[i]);
            last = Math.max(last, end[i]);
            total += count[i];
        }
        opsAndCpu[0] = total;
        return total / ((last - first) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void print(String name, String unit, double[] values) {
        StringBuilder sb = new StringBuilder("POOL\t" + name + "\t" + unit + "\t");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        System.out.println(sb);
        System.out.flush();
    }
}
