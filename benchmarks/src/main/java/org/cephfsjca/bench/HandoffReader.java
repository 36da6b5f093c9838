package org.cephfsjca.bench;

import java.util.List;

/** R, the side of a hand-off that looks at files another session (or the same one) holds open. */
interface HandoffReader extends AutoCloseable {

    /**
     * Stats each file, then opens and reads it whole, one thread per file, all starting together.
     *
     * @return per path (in order): {stat nanoseconds, open+read nanoseconds}
     */
    long[][] measure(List<String> paths) throws Exception;

    @Override
    void close() throws Exception;
}
