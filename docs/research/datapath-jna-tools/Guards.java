// CPU per ceph_get_stripe_unit_granularity call: bare JNA entry point, guarded, + watcher, + gate, + both (see ../datapath-jna.md)
// javac -cp "benchmarks/target/lib/*" -d /tmp Guards.java && java -cp "/tmp:benchmarks/target/lib/*" Guards 400
import org.cephfsjca.libcephfs.*;
import java.lang.invoke.*;
import java.lang.reflect.Method;

/** Per-call CPU of: the raw JNA call; the binding's guarded call; + CallWatch; + a gate; + both. */
public class Guards {
    static final MethodHandle RAW;
    static {
        try {
            Class<?> lib = Class.forName("org.cephfsjca.libcephfs.LibCephFs");
            Method m = lib.getDeclaredMethod("ceph_get_stripe_unit_granularity", long.class);
            m.setAccessible(true);
            RAW = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(int.class, long.class));
        } catch (Exception e) { throw new Error(e); }
    }
    public static void main(String[] a) throws Throwable {
        long ms = Long.parseLong(a[0]);
        CephMount m = CephMount.create("admin");
        m.readConfigFile(System.getenv("CEPH_CONF"));
        for (String o : new String[] {"debug_client", "debug_objectcacher", "debug_objecter", "debug_ms"}) m.setOption(o, "0/0");
        m.init();
        m.selectFileSystem(System.getenv("CEPH_FS_NAME"));
        m.mount("/");
        Method h = CephMount.class.getDeclaredMethod("handle"); h.setAccessible(true);
        long cm = (long) h.invoke(m);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        CallWatch.Watcher w = new CallWatch.Watcher() {
            public long timeoutNanos() { return 5_000_000_000L; }
            public String describeTimeout() { return "5 s"; }
        };
        String[] modes = {"raw", "guarded", "watched", "gated", "watched+gated"};
        for (int round = 0; round < 4; round++) {
            for (String mode : modes) {
                m.watch(mode.startsWith("watched") ? w : null);
                m.gate(mode.endsWith("gated") ? (call, subject) -> { if (System.nanoTime() == 42) throw new java.nio.file.FileSystemException("x"); } : null);
                long sink = 0, n = 0;
                long end = System.nanoTime() + ms * 1_000_000L;
                long c0 = mx.getCurrentThreadCpuTime();
                while (System.nanoTime() < end) {
                    if (mode.equals("raw")) {
                        for (int i = 0; i < 64; i++) sink += (int) RAW.invokeExact(cm);
                    } else {
                        for (int i = 0; i < 64; i++) sink += m.stripeUnitGranularity();
                    }
                    n += 64;
                }
                long c = mx.getCurrentThreadCpuTime() - c0;
                if (round > 0) System.out.printf("%-14s %.1f ns/call cpu%n", mode, c / (double) n);
                if (sink == 0) throw new Error();
            }
        }
        m.close();
        System.exit(0);
    }
}
