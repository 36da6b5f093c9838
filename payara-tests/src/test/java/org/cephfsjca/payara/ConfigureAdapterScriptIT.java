package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * configure-adapter.sh's security map option, without a server: what it writes for a good map, and that it refuses a
 * bad one when it runs (not at the server's boot), never printing the key. PayaraPoolDifferencesIT boots a server
 * with a map it wrote.
 */
class ConfigureAdapterScriptIT {

    private static final String KEY = "AQDtestkeynotarealkey0000000000000000==";
    private static Path dir;

    /** Exit code, stdout and stderr of a run of the script. */
    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void files() throws Exception {
        dir = PayaraEnv.workDir("script");
        Files.createDirectories(dir);
    }

    private static Path passwordFile(String name, String content, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static Run run(String map) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", PayaraEnv.file("it.asadmin.rar").toString(),
                "cephfs.rar.file=" + PayaraEnv.rar(), "ceph.node.id=n1", "cephfs.security.map.archive=" + map));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "configure-adapter.sh did not end");
        String err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertFalse(out.contains(KEY) || err.contains(KEY), "the key is never printed: " + out + err);
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void aMapBecomesASecurityMapCommandAfterThePoolWithThePasswordFile() throws Exception {
        Path pw = passwordFile("good.pw", "AS_ADMIN_MAPPEDPASSWORD=" + KEY + "\n", "rw-------");
        Run r = run("alice,bob:archive:" + pw);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        String map = "create-connector-security-map --poolname ceph-FileSystem-pool --principals alice,bob "
                + "--mappedusername archive --passwordfile " + pw + " archive";
        assertTrue(lines.contains(map), r.out());
        assertTrue(lines.indexOf(map) > lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("create-connector-connection-pool ")).findFirst().orElseThrow()), r.out());
    }

    @Test
    void badMapsAreRefusedWhenTheScriptRuns() throws Exception {
        Path open = passwordFile("open.pw", "AS_ADMIN_MAPPEDPASSWORD=" + KEY + "\n", "rw-r--r--");
        Path empty = passwordFile("empty.pw", KEY + "\n", "rw-------");
        Path good = passwordFile("ok.pw", "AS_ADMIN_MAPPEDPASSWORD=" + KEY + "\n", "rw-------");
        String[][] cases = {
            {"alice:archive:" + open, "readable by group or others"},
            {"alice:archive:" + empty, "no AS_ADMIN_MAPPEDPASSWORD=<cephx key> line"},
            {"alice:client.archive:" + good, "without \"client.\""},
            {"alice:archive", "expected PRINCIPALS:CEPHX_ID:PASSWORD_FILE"},
            {"alice:archive:" + dir.resolve("missing.pw"), "no readable password file"},
            {"alice smith:archive:" + good, "bad principal list"},
        };
        for (String[] c : cases) {
            Run r = run(c[0]);
            assertEquals(2, r.exit(), c[0] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
            assertEquals("", r.out(), "nothing written for a refused map: " + r.out());
        }
    }
}
