package org.cephfsjca.it;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.OpenFlags;

/**
 * The independent Ceph client of scripts/demo.sh (plain main, no test framework): the project's own binding, a
 * client.admin mount of $CEPH_CONF without a session uuid.
 * <pre>
 *   watch  PATH PROBE_MS TIMEOUT_MS [DATA_PATH]
 *          after PROBE_MS prints what it found: HELD (another owner has the lock), BLOCKED (the open did not
 *          return: a dead session holds the file's caps) or FREE; then keeps trying until the exclusive lock is
 *          granted and prints "FREE epoch-ms", then "SHA256 hex" of DATA_PATH (default: PATH itself; the example
 *          app locks a document's lock file, not the document), unmounts and exits
 *   sha256 PATH
 * </pre>
 * It unmounts before it exits (a client that dies with caps would itself block others); only on TIMEOUT does it
 * leave with a thread still blocked in libcephfs.
 */
public final class DemoProbe {

    private DemoProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DemoProbe watch PATH PROBE_MS TIMEOUT_MS [DATA_PATH] | sha256 PATH");
            System.exit(2);
        }
        String conf = System.getenv("CEPH_CONF");
        String fs = System.getenv().getOrDefault("CEPH_FS_NAME", "cephfs");
        if (conf == null || conf.isEmpty()) {
            System.err.println("CEPH_CONF is not set: eval \"$(scripts/ceph-cluster.sh env)\"");
            System.exit(2);
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        CephMount m = CephMount.create("admin");
        m.readConfigFile(conf);
        m.setOption("client_mount_timeout", "15");
        m.init();
        m.selectFileSystem(fs);
        m.mount("/");
        String path = args[1];
        int status = 0;
        if (args[0].equals("watch")) {
            long probeMs = Long.parseLong(args[2]);
            long timeoutMs = Long.parseLong(args[3]);
            java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            Future<Long> granted = worker.submit(() -> {
                int attempts = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.currentTimeMillis();
                    attempts++;
                    if (tryLock(m, path)) {
                        first.compareAndSet(null, "FREE");
                        System.err.println("attempt " + attempts + " (started " + t0 + ") granted at "
                                + System.currentTimeMillis());
                        return System.currentTimeMillis();
                    }
                    if (first.compareAndSet(null, "HELD") || attempts % 100 == 0) {
                        System.err.println("attempt " + attempts + " (started " + t0 + ") refused at "
                                + System.currentTimeMillis());
                    }
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                return -1L;
            });
            TimeUnit.MILLISECONDS.sleep(probeMs);
            String seen = first.get();
            System.out.println(seen == null ? "BLOCKED" : seen);
            System.out.flush();
            long at;
            try {
                at = granted.get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                at = -1;
            }
            if (at < 0) {
                System.out.println("TIMEOUT");
                System.out.flush();
                Runtime.getRuntime().halt(1); // a thread is still blocked in libcephfs
            }
            System.out.println("FREE " + at);
            System.out.println("SHA256 " + sha256(m, args.length > 4 ? args[4] : path));
        } else if (args[0].equals("sha256")) {
            System.out.println(sha256(m, path));
        } else {
            System.err.println("unknown command " + args[0]);
            status = 2;
        }
        m.close();
        System.out.flush();
        System.exit(status);
    }

    private static boolean tryLock(CephMount m, String path) throws Exception {
        long owner = System.nanoTime();
        try (CephFile f = m.open(path, OpenFlags.O_RDONLY, 0)) {
            if (f.lock(LockMode.EXCLUSIVE, false, owner)) {
                f.unlock(owner);
                return true;
            }
            return false;
        }
    }

    /** SHA-256 of a file read through {@code m}; {@link Ceph#sha256} uses it too (the demo copies only this class). */
    static String sha256(CephMount m, String path) throws java.io.IOException {
        try (CephFile f = m.open(path, OpenFlags.O_RDONLY, 0)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            long pos = 0;
            for (;;) {
                b.clear();
                int n = f.read(b, pos);
                if (n <= 0) {
                    break;
                }
                b.flip();
                sha.update(b);
                pos += n;
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
