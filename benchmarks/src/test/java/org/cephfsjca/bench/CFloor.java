package org.cephfsjca.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Compiles the C floor program ({@code src/main/c/cephbench.c}) for a smoke test, as scripts/bench.sh does. */
final class CFloor {

    private CFloor() {
    }

    /** @return the executable, under {@code target/<dir>/} */
    static Path compile(String dir) throws Exception {
        Path bin = Path.of("target", dir, "cephbench");
        Files.createDirectories(bin.getParent());
        Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-D_FILE_OFFSET_BITS=64", "-pthread", "-o",
                bin.toString(), "src/main/c/cephbench.c", "-lcephfs").redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(120, TimeUnit.SECONDS)) {
            cc.destroyForcibly();
            fail("cc did not finish within 120 s");
        }
        assertEquals(0, cc.exitValue(), "cc failed (scripts/install-deps.sh installs gcc and libcephfs-dev):\n" + out);
        return bin;
    }
}
