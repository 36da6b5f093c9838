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
        BenchMain.runAll(new String[] {
            "--parts", "server", "--server-port-offset", "600", // clear of a full bench run's server (500)
            "--server-ops-reps", "1", "--server-ops-ms", "50", "--server-ops-warmup-ms", "50",
            "--server-docs", "3", "--server-listings", "2",
            "--server-wrk-sizes", "4k", "--server-wrk-connections", "2", "--server-wrk-seconds", "1",
            "--server-wrk-reps", "1",
            "--server-load-connections", "3", "--server-load-seconds", "2", "--server-large-mib", "4",
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
        assertTrue(Pattern.compile("(?m)^\\| upload through the app \\(curl -T\\) \\| [0-9.]+ \\|").matcher(report)
                .find() && report.contains("| adapter in SE: read"), "no large I/O rows:\n" + report);
    }
}
