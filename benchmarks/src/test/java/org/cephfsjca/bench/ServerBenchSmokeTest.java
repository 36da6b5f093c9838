package org.cephfsjca.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The server part ({@code --parts server}) once with tiny budgets against the local cluster: provisions and boots its
 * WildFly, deploys, runs every sub-part and checks that each one reported (not how fast anything is). A cluster or a
 * server that cannot be reached fails it.
 */
class ServerBenchSmokeTest {

    @Test
    void serverPartReports() throws Exception {
        Env.conf(); // fails with the reason when the cluster's environment is missing
        Path out = Path.of("target/smoke-server/bench-results.md");
        Path cbench = CFloor.compile("smoke-server"); // large I/O compares with C
        BenchMain.runAll(new String[] {
            "--cbench", cbench.toString(), "--parts", "server", "--server-port-offset", "600", // clear of a full bench run's server (500)
            "--server-ops-reps", "1", "--server-ops-ms", "50", "--server-ops-warmup-ms", "50",
            "--server-docs", "3", "--server-listings", "2",
            "--server-wrk-sizes", "4k", "--server-wrk-connections", "2", "--server-wrk-seconds", "1",
            "--server-wrk-reps", "1",
            "--server-load-connections", "3", "--server-load-seconds", "2", "--server-large-mib", "4", "--server-large-reps", "1",
            "--out", out.toString(), "--log-dir", "target/smoke-server/logs"});
        String report = Files.readString(out);

        for (String op : List.of("stat", "4 KiB read", "create", "lock")) {
            assertTrue(Pattern.compile("(?m)^\\| " + Pattern.quote(op) + "[^|]* \\| [0-9.]+ \\[").matcher(report).find(),
                    "no in-server/SE row for " + op + ":\n" + report);
        }
        assertFalse(report.contains("n/a"), "a server measure is missing:\n" + report);
        assertTrue(Pattern.compile("then `GET /api/documents` 2 times in a row: first listing [0-9.]+ ms")
                .matcher(report).find(), "no listing time:\n" + report);
        for (String method : List.of("GET", "PUT")) {
            assertTrue(Pattern.compile("(?m)^\\| " + method + " 4 KiB \\| 2 \\| [0-9.]+k? \\[").matcher(report).find(),
                    "no wrk row for " + method + ":\n" + report);
        }
        assertTrue(Pattern.compile("\\*\\*[0-9]+ requests/s\\*\\*").matcher(report).find(), "no mixed load:\n" + report);
        assertTrue(Pattern.compile("(?m)^\\| all \\| [1-9][0-9]* \\|").matcher(report).find(),
                "the mixed load made no request:\n" + report);
        for (String row : List.of("write: C", "write: adapter in SE", "write: upload through the app", "read: C",
                "read: adapter in SE", "read: download through the app")) {
            assertTrue(Pattern.compile("(?m)^\\| " + Pattern.quote(row) + "[^|]* \\| [0-9.]+ \\[").matcher(report).find(),
                    "no large I/O row '" + row + "':\n" + report);
        }
        assertTrue(report.contains("| large I/O through the app >= 0.9x C"), "no large I/O target:\n" + report);
    }
}
