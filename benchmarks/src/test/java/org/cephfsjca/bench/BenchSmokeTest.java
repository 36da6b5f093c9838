package org.cephfsjca.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The whole harness, every part (takeover included) and every implementation, with tiny budgets against the local cluster: it proves
 * that scripts/bench.sh still works (not how fast anything is; the numbers of so short a run mean nothing).
 */
class BenchSmokeTest {

    @Test
    void everyPartAndImplementationReports() throws Exception {
        Env.conf(); // fails with the reason when the cluster's environment is missing
        Path cbench = CFloor.compile("smoke");
        Path out = Path.of("target/smoke/bench-results.md");
        BenchMain.runAll(new String[] {
            "--cbench", cbench.toString(), "--rounds", "1", "--threads", "1", "--reps", "1", "--seq-reps", "1",
            "--seq-mib", "8", "--fast-ms", "50", "--slow-ms", "50", "--warmup-ms", "50", "--slow-warmup-ms", "100", "--create-warmup-ms", "100",
            "--recovery-sizes", "2", "--recovery-reps", "1", "--none-size", "0",
            "--handoffs", "3", "--handoff-batch", "2", // two batches, the second one partial
            "--takeover-sizes", "2", "--takeover-reps", "1", "--takeover-victim-watches", "no",
            "--takeover-baseline-size", "1", "--takeover-cap-seconds", "1",
            "--ceph-option", "debug_client=0/1", // over the adapter's default 0/0: must reach every implementation
            "--parts", "datapath,pool,recovery,handoff,takeover", // the server part has a smoke test of its own
            "--out", out.toString(), "--log-dir", "target/smoke/logs"});
        String report = Files.readString(out);

        for (String op : List.of("noop", "create", "stat", "read4k", "lock", "list", "seqwrite-64k", "seqread-64k",
                "seqwrite-4m", "seqread-4m")) {
            Matcher row = Pattern.compile("(?m)^\\| " + Pattern.quote(op) + " \\| 1 \\|(.*)$").matcher(report);
            assertTrue(row.find(), "no CPU row for " + op + " in\n" + report);
            assertFalse(row.group(1).contains("n/a"), "an implementation did not report " + op + ": " + row.group());
        }
        assertFalse(report.contains("| n/a |"), "a pool measure is missing:\n" + report);
        for (String impl : BenchOptions.ALL_IMPLS) {
            assertTrue(report.contains("Ceph options read back (ceph_conf_get) from " + impl + "'s client: "
                    + "debug_client=0/1, debug_objectcacher=0/0, debug_objecter=0/0, debug_ms=0/0"),
                    "the options did not reach " + impl + " as given:\n" + report);
        }
        Matcher rec = Pattern.compile("(?m)^\\| 2 \\| RESET \\| 1 \\| [0-9.]+ \\[.*\\] ms \\| [0-9.]+ \\[.*\\] ms")
                .matcher(report);
        assertTrue(rec.find(), "no recovery row with every lock obtained:\n" + report);
        assertTrue(report.contains("2 slots checked, 2 sessions reset"), "the recovery report is listed:\n" + report);
        Matcher tk = Pattern.compile("(?m)^\\| 2 \\| watched only \\(takeover off on it\\) \\| 1 \\| [0-9.]+ \\[.*\\] ms \\| "
                + "[0-9.]+ \\[.*\\] ms \\| [0-9.]+ \\[.*\\] ms \\|").matcher(report);
        assertTrue(tk.find(), "no takeover row with every lock obtained and the record's times:\n" + report);
        assertTrue(report.contains(" took over dead node ") && report.contains("2 session(s) reset"),
                "the takeover record is listed:\n" + report);
        assertTrue(report.contains("| 1 | baseline: takeover off on all three | 1 | "), "no takeover baseline:\n" + report);
        for (String[] row : HandoffRow.ROWS) {
            for (String[] variant : HandoffBench.VARIANTS) {
                Matcher ho = Pattern.compile("(?m)^\\| " + Pattern.quote(row[1]) + " \\| " + Pattern.quote(variant[1])
                        + " \\| [0-9.]+ \\|").matcher(report);
                assertTrue(ho.find(), "no hand-off latency for " + row[1] + ", " + variant[1] + ":\n" + report);
            }
        }
    }
}
