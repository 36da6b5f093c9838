package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Temporary: the load test's own-file pattern at the binding level, to find the read-back failure. */
public final class ReadBackStressMain {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]), mounts = Integer.parseInt(a[1]);
        long millis = Long.parseLong(a[2]);
        String dir = "/jca-tests/rbstress-" + System.nanoTime();
        BlockingQueue<CephMount> pool = new ArrayBlockingQueue<>(mounts);
        List<CephMount> all = new ArrayList<>();
        for (int i = 0; i < mounts; i++) { CephMount m = TestCluster.mounted(); all.add(m); pool.add(m); }
        all.get(0).mkdirs(dir, 0755);
        AtomicLong ok = new AtomicLong(), bad = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                Random rnd = new Random(id);
                try {
                    while (System.nanoTime() < end && bad.get() < 10) {
                        CephMount m = pool.take();
                        List<CephFile> left = new ArrayList<>();
                        try {
                            int n = 1 + rnd.nextInt(4);
                            for (int i = 0; i < n; i++) {
                                String own = dir + "/w" + id + "-" + rnd.nextInt(2);
                                if (rnd.nextBoolean()) {
                                    CephFile ch = m.open(own, O_RDWR | O_CREAT, 0644);
                                    int p = rnd.nextInt(8192);
                                    ch.write(ByteBuffer.allocate(512), p);
                                    ch.read(ByteBuffer.allocate(512), 0);
                                    if (rnd.nextBoolean()) ch.close(); else left.add(ch);
                                } else {
                                    byte[] data = new byte[4096];
                                    rnd.nextBytes(data);
                                    try (CephFile f = m.open(own, O_WRONLY | O_CREAT | O_TRUNC, 0644)) {
                                        f.write(data, 0, data.length, -1);
                                    }
                                    byte[] back;
                                    try (CephFile f = m.open(own, O_RDONLY, 0)) {
                                        long size = f.stat().size();
                                        ByteBuffer b = ByteBuffer.allocate(20000);
                                        int r;
                                        while ((r = f.read(b, b.position())) > 0) { }
                                        back = Arrays.copyOf(b.array(), b.position());
                                        if (!Arrays.equals(data, back)) {
                                            int mm = Arrays.mismatch(data, back);
                                            int zeros = 0, last = -1;
                                            for (int k = Math.max(mm, 0); k < Math.min(data.length, back.length); k++)
                                                if (data[k] != back[k]) { last = k; if (back[k] == 0) zeros++; }
                                            bad.incrementAndGet();
                                            System.out.println("BAD " + own + " mount " + all.indexOf(m) + " leftOpen " + left.size()
                                                    + " statSize " + size + " read " + back.length + " first " + mm + " last " + last + " zeros " + zeros);
                                        } else ok.incrementAndGet();
                                    }
                                }
                            }
                        } finally {
                            left.forEach(CephFile::close);
                            pool.put(m);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    bad.incrementAndGet();
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) th.join();
        System.out.println("ok " + ok + " bad " + bad);
        all.forEach(CephMount::close);
        System.exit(0);
    }
}
