package org.cephfsjca.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Uploads from slow clients ({@link SlowBody}) of {@code slow-<i>.bin} in a test's folder, each of a pattern of its
 * own ({@link PatternStream}, seed {@code firstSeed + i}): they hold their places in the server until
 * {@link #release()}, then complete at full speed.
 */
public final class SlowUploads {

    private static final ExecutorService POOL = Threads.daemons("slow-upload");

    private final DocDir dir;
    private final long firstSeed;
    private final long size;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<Future<Http.Resp>> answers = new ArrayList<>();

    private SlowUploads(DocDir dir, long firstSeed, long size) {
        this.dir = dir;
        this.firstSeed = firstSeed;
        this.size = size;
    }

    /** Starts {@code count} slow uploads of {@code size} bytes each as {@code user}. */
    public static SlowUploads start(Http user, DocDir dir, int count, long firstSeed, long size) {
        SlowUploads s = new SlowUploads(dir, firstSeed, size);
        for (int i = 0; i < count; i++) {
            long seed = firstSeed + i;
            String url = s.url(i);
            s.answers.add(POOL.submit(() -> user.doPutStream(url,
                    () -> new SlowBody(new PatternStream(seed, size), s.gate), size)));
        }
        return s;
    }

    public String url(int i) {
        return dir.url("slow-" + i + ".bin");
    }

    /** The SHA-256 of upload {@code i}'s content. */
    public String sha256(int i) {
        return PatternStream.sha256(firstSeed + i, size);
    }

    /** Lets every upload deliver the rest of its body. */
    public void release() {
        gate.countDown();
    }

    /** The answer to upload {@code i} (after {@link #release()}), waiting up to 120 s for it. */
    public Http.Resp answer(int i) throws Exception {
        return answers.get(i).get(120, TimeUnit.SECONDS);
    }

    public int count() {
        return answers.size();
    }

    /** For a failure message: each upload's answer if it has one already (none should before {@link #release()}). */
    public String states() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < answers.size(); i++) {
            Future<Http.Resp> f = answers.get(i);
            b.append(i == 0 ? "" : "; ").append("slow-").append(i).append(": ");
            if (!f.isDone()) {
                b.append("in flight");
            } else {
                try {
                    b.append("answered ").append(f.get());
                } catch (Exception e) {
                    b.append("failed ").append(e.getCause() != null ? e.getCause() : e);
                }
            }
        }
        return b.toString();
    }
}
