// A loop of stat, read4k or list on one binding mount, for perf (see ../datapath-jna.md):
// javac -cp "benchmarks/target/lib/*" -d /tmp Loop.java && perf record -F 1999 -g -- java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -cp "/tmp:benchmarks/target/lib/*" Loop list 4 /cephfs-jca-bench/fixtures/dir10k
import org.cephfsjca.libcephfs.*;
import java.nio.ByteBuffer;
import java.util.*;

public class Loop {
    public static void main(String[] a) throws Exception {
        String op = a[0];
        long secs = Long.parseLong(a[1]);
        CephMount m = CephMount.create("admin");
        m.readConfigFile(System.getenv("CEPH_CONF"));
        for (String o : new String[] {"debug_client", "debug_objectcacher", "debug_objecter", "debug_ms"}) m.setOption(o, "0/0");
        m.init();
        m.selectFileSystem(System.getenv("CEPH_FS_NAME"));
        m.mount("/");
        String dir = a.length > 2 ? a[2] : "/";
        String file = "/h16dp-prof-file";
        try (CephFile f = m.open(file, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            f.write(b, 0);
        }
        CephFile rf = m.open(file, OpenFlags.O_RDONLY, 0);
        ByteBuffer small = ByteBuffer.allocateDirect(4096);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long end = System.nanoTime() + secs * 1_000_000_000L;
            long n = 0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long off = 0;
            long sink = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) {
                    switch (op) {
                        case "stat" -> sink += m.stat(file).size();
                        case "read4k" -> { small.clear(); sink += rf.read(small, off); off = (off + 4096) & ((1 << 20) - 1); }
                        case "list" -> { sink += m.list(dir).size(); i = 100; }
                        default -> throw new IllegalArgumentException(op);
                    }
                    n++;
                }
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("%s round %d: %d ops, %.3f us/op wall, %.3f us/op cpu (sink %d)%n", op, round, n,
                    (System.nanoTime() - t0) / 1e3 / n, cpu / 1e3 / n, sink);
        }
        rf.close();
        m.close();
        System.exit(0);
    }
}
