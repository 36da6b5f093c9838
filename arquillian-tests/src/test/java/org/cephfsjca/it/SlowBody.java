package org.cephfsjca.it;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request body from a slow client: until its gate opens it trickles (1 KiB every 100 ms, at most
 * {@value #TRICKLE_MAX} bytes, then it stalls), so the upload never ends on its own; once released it delivers the
 * rest at full speed. A stall longer than 5 minutes fails the read.
 */
public final class SlowBody extends InputStream {

    static final int TRICKLE_MAX = 16 * 1024;

    private final InputStream content;
    private final CountDownLatch gate;
    private long delivered;

    public SlowBody(InputStream content, CountDownLatch gate) {
        this.content = content;
        this.gate = gate;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            if (delivered >= TRICKLE_MAX) {
                if (!gate.await(5, TimeUnit.MINUTES)) {
                    throw new IOException("slow body never released");
                }
            } else if (!gate.await(100, TimeUnit.MILLISECONDS)) {
                len = Math.min(len, 1024);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int n = content.read(b, off, len);
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
