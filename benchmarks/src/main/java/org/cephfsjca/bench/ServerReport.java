package org.cephfsjca.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The report's "Through WildFly" section: the server part's tables and its targets. */
final class ServerReport {

    private final ServerOptions opts;
    private final Results results;
    private final List<String> facts;
    private final WrkBench wrk;
    private final MixedLoad load;
    private final LargeIo large;

    ServerReport(ServerOptions opts, Results results, List<String> facts, WrkBench wrk, MixedLoad load, LargeIo large) {
        this.opts = opts;
        this.results = results;
        this.facts = facts;
        this.wrk = wrk;
        this.load = load;
        this.large = large;
    }

    void render(PrintWriter o) {
        o.println("### Through WildFly");
        o.println();
        facts.forEach(f -> o.println(f + "."));
        o.println();
        ops(o);
        listing(o);
        http(o);
        mixed(o);
        large(o);
        targets(o);
    }

    private void ops(PrintWriter o) {
        o.println("#### Operations inside the server and in Java SE");
        o.println();
        o.println("The same loop (`OpLoop`) in the bench deployment's EJB (`@Resource` CephConnectionFactory: "
                + "IronJacamar's pool and the CCM) and in this JVM through the non-managed factory (`BenchAdapter`), "
                + "repetitions alternating between the two. *held*: one connection, N operations (`AdapterWorker`, "
                + "the data-path row (d)); *get+op+close*: a connection per operation, as an application takes one "
                + "per request (the 4 KiB read then also opens and closes the file); *one EJB call per op*: each "
                + "get+op+close is one call of the EJB's business method, timed in the servlet, with the default "
                + "container-managed transaction (REQUIRED: a JTA transaction begun and committed per call, although "
                + "the adapter is NoTransaction) and with `@TransactionAttribute(NOT_SUPPORTED)`. Every operation is "
                + "timed alone; µs per operation: the median operation of each " + opts.opsMs + " ms repetition "
                + "(after " + opts.opsWarmupMs + " ms of warm-up), median of " + opts.opsReps + " repetitions "
                + "[min–max]; p99 of the EJB-call columns in brackets. Medians, not means: on a shared machine other "
                + "processes preempt single calls (the overhead by means, which includes the container's GC and "
                + "those outliers, is the last column). An overhead whose SE and server ranges overlap is within "
                + "this run's noise.");
        o.println();
        o.print("| operation |");
        for (String[] c : ServerOpsBench.COLUMNS) {
            o.print(" " + c[1] + " |");
        }
        o.println(" container overhead (server − SE, get+op+close) | get+close: SE, server | overhead by means |");
        o.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String[] t : ServerOpsBench.TITLES) {
            if (results.get(ServerOpsBench.key(t[0], "se-held")) == null) {
                continue;
            }
            o.print("| " + t[1] + " |");
            for (String[] c : ServerOpsBench.COLUMNS) {
                String cell = Results.cell(results.get(ServerOpsBench.key(t[0], c[0])));
                if (c[0].startsWith("srv-percall")) {
                    cell += " (p99 " + us(results.get(ServerOpsBench.p99Key(t[0], c[0])).median()) + ")";
                }
                o.print(" " + cell + " |");
            }
            double se = med(t[0], "se-perop");
            double srv = med(t[0], "srv-perop");
            double seMean = results.get(ServerOpsBench.meanKey(t[0], "se-perop")).median();
            double srvMean = results.get(ServerOpsBench.meanKey(t[0], "srv-perop")).median();
            o.println(" " + signed(srv - se) + " µs (" + pct(srv - se, se) + ") | " + signed(se - med(t[0], "se-held"))
                    + ", " + signed(srv - med(t[0], "srv-held")) + " µs | " + signed(srvMean - seMean) + " µs ("
                    + pct(srvMean - seMean, seMean) + ") |");
        }
        o.println();
    }

    private void listing(PrintWriter o) {
        Results.Series all = results.get("srv/list/all");
        if (all == null) {
            return;
        }
        o.println("#### Issue 10's scenario: listing checked-out documents");
        o.println();
        o.println(opts.docs + " documents of 4 KiB, each uploaded and then checked out (as one editor), then `GET "
                + "/api/documents` " + all.values().length + " times in a row: first listing "
                + Results.num(all.values()[0], "ms") + " ms; median " + Results.num(all.median(), "ms") + " ms, "
                + "range " + Results.num(all.min(), "ms") + "–" + Results.num(all.max(), "ms") + " ms (target: under "
                + "1 s).");
        o.println();
    }

    private void http(PrintWriter o) {
        if (wrk == null) {
            return;
        }
        o.println("#### HTTP with wrk");
        o.println();
        o.println("`wrk --latency -t min(c,2) -c <c> -d " + opts.wrkSeconds + "s` against the example app, signed "
                + "in (HTTP Basic, editor); GET of one document, PUT replacing one of 32 documents in turn. Median of "
                + opts.wrkReps + " runs [min–max] (p50/p99: median of the runs' values). The load generator shares "
                + "the 2 cores with the server and the cluster.");
        o.println();
        o.println("| request | connections | requests/s | MiB/s | p50 ms | p99 ms |");
        o.println("|---|---|---|---|---|---|");
        for (String size : opts.wrkSizes) {
            for (String method : List.of("GET", "PUT")) {
                for (int c : opts.wrkConnections) {
                    Results.Series rps = results.get(WrkBench.key("http", method, size, c));
                    if (rps == null) {
                        continue;
                    }
                    double mib = rps.median() * ServerOptions.bytes(size) / (1 << 20);
                    o.println("| " + method + " " + size.toUpperCase(Locale.ROOT).replace("K", " KiB")
                            .replace("M", " MiB") + " | " + c + " | " + Results.cell(rps) + " | "
                            + String.format(Locale.ROOT, mib < 10 ? "%.1f" : "%.0f", mib) + " | "
                            + ms(WrkBench.key("http50", method, size, c)) + " | "
                            + ms(WrkBench.key("http99", method, size, c)) + " |");
                }
            }
        }
        o.println();
        o.println(wrk.problems.isEmpty() ? "Every answer 2xx, no socket errors."
                : "Not 2xx, or socket errors: " + wrk.problems + ".");
        o.println();
    }

    private void mixed(PrintWriter o) {
        if (load == null) {
            return;
        }
        o.println("#### Issue 11's mixed load");
        o.println();
        o.println(String.format(Locale.ROOT, "%d connections as 3 editors for %.1f s, LoadIT's mix (GET 45 %%, PUT "
                + "25 %% of 1-64 KiB, list 15 %%, check-out + 0-2 GETs + check-in 15 %%) on 24 documents, a Java client "
                + "(`LoadWorker`, one keep-alive connection each): **%.0f requests/s**; %d answers 5xx, %d wrong "
                + "contents (a GET whose sha256 was never PUT).", opts.loadConnections, load.seconds,
                load.requestsPerSecond, load.stats.serverErrors(), load.stats.wrongContents()));
        o.println();
        o.println("| request | count | per second | p50 ms | p99 ms | max ms |");
        o.println("|---|---|---|---|---|---|");
        for (String kind : List.of("GET", "PUT", "list", "checkout", "checkin", "all")) {
            Results.Series s = results.get("srv/load/" + kind);
            if (s == null || s.values().length == 0) {
                continue;
            }
            o.println(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %s | %s |", kind, s.values().length,
                    s.values().length / load.seconds, BenchReport.ms(s.percentile(50)),
                    BenchReport.ms(s.percentile(99)), BenchReport.ms(s.max())));
        }
        o.println();
        o.println("Answers: " + load.stats.answers() + (load.stats.problems().isEmpty() ? ""
                : "; unexpected: " + load.stats.problems().subList(0, Math.min(5, load.stats.problems().size()))) + ".");
        o.println();
    }

    private void large(PrintWriter o) {
        if (large == null) {
            return;
        }
        o.println("#### Large I/O: " + opts.largeMib + " MiB");
        o.println();
        if (large.skipped != null) {
            o.println(large.skipped + ".");
            o.println();
            return;
        }
        o.println(opts.largeReps + " rounds; each writes a new " + opts.largeMib + " MiB file four ways, reads it back and "
                + "deletes it (the order rotating from round to round, each transfer after the last one's objects were "
                + "purged): C (`cephbench --ops large`: 4 MiB writes, fsync, 4 MiB reads); the app through WildFly "
                + "(PUT with `curl -T`, the app copying in 256 KiB byte[] steps, hashing with SHA-256 and fsyncing at "
                + "close; GET to /dev/null); the adapter in SE with a 4 MiB direct buffer, as C; and the adapter in SE "
                + "with the app's copy path (256 KiB byte[] steps + SHA-256 + fsync; reads in 256 KiB heap buffers), "
                + "which is the app without HTTP. Seconds: median [range]; MiB/s and the ratio to C from the medians. "
                + "Server CPU: the WildFly JVM's user + system time over the transfer (median).");
        o.println();
        o.println("| transfer | s | MiB/s | ÷ C | server CPU s |");
        o.println("|---|---|---|---|---|");
        largeRow(o, "c-write", "c-write", "write: C");
        largeRow(o, "adapter-write", "c-write", "write: adapter in SE, 4 MiB direct buffer");
        largeRow(o, "app-path-write", "c-write", "write: adapter in SE, the app's path (256 KiB + SHA-256 + fsync)");
        largeRow(o, "upload", "c-write", "write: upload through the app (curl -T)");
        largeRow(o, "c-read", "c-read", "read: C");
        largeRow(o, "adapter-read", "c-read", "read: adapter in SE, 4 MiB direct buffer");
        largeRow(o, "app-path-read", "c-read", "read: adapter in SE, the app's path (256 KiB heap buffer)");
        largeRow(o, "download", "c-read", "read: download through the app (curl)");
        largeRow(o, "sha-only", null, "SHA-256 alone, in memory, 256 KiB steps (once; its share of the app's write)");
        o.println();
    }

    private void largeRow(PrintWriter o, String what, String c, String title) {
        Results.Series s = results.get("srv/large/" + what);
        if (s == null) {
            return;
        }
        Results.Series cs = c == null ? null : results.get("srv/large/" + c);
        Results.Series cpu = results.get("srv/large/" + what + "-cpu");
        o.println(String.format(Locale.ROOT, "| %s | %.2f [%.2f–%.2f] | %.0f | %s | %s |", title, s.median(), s.min(),
                s.max(), opts.largeMib / s.median(), cs == null ? "" : String.format(Locale.ROOT, "%.2fx",
                cs.median() / s.median()), cpu == null ? "" : String.format(Locale.ROOT, "%.2f", cpu.median())));
    }

    /** Throughput of {@code what} over C's at the same size and direction (ratio of median seconds), or NaN. */
    private double largeRatio(String what, String c) {
        Results.Series s = results.get("srv/large/" + what);
        Results.Series cs = results.get("srv/large/" + c);
        return s == null || cs == null ? Double.NaN : cs.median() / s.median();
    }

    private void largeTarget(PrintWriter o, String title, String write, String read) {
        double w = largeRatio(write, "c-write");
        double r = largeRatio(read, "c-read");
        if (Double.isNaN(w) || Double.isNaN(r)) {
            return;
        }
        o.println(String.format(Locale.ROOT, "| %s >= 0.9x C, %d MiB (medians) | write %.2fx, read %.2fx: %s |", title,
                opts.largeMib, w, r, w >= 0.9 && r >= 0.9 ? "met" : w >= 0.9 ? "write met, read MISSED"
                : r >= 0.9 ? "read met, write MISSED" : "MISSED"));
    }

    private void targets(PrintWriter o) {
        o.println("#### Targets (server)");
        o.println();
        o.println("| target | result |");
        o.println("|---|---|");
        for (String[] t : ServerOpsBench.TITLES) {
            if (results.get(ServerOpsBench.key(t[0], "se-perop")) == null) {
                continue;
            }
            double se = med(t[0], "se-perop");
            double d = med(t[0], "srv-perop") - se;
            boolean met = d < 10 && d < 0.05 * se;
            Results.Series a = results.get(ServerOpsBench.key(t[0], "se-perop"));
            Results.Series b = results.get(ServerOpsBench.key(t[0], "srv-perop"));
            boolean overlap = a.values().length > 1 && a.min() <= b.max() && b.min() <= a.max();
            o.println("| container overhead on " + t[0] + " < 10 µs and < 5 % (medians) | " + signed(d) + " µs, "
                    + pct(d, se) + ": " + (met ? "met" : "MISSED") + (overlap && !met
                    ? " (but the SE and server ranges overlap: within this run's noise)" : "") + " |");
        }
        if (large != null && large.skipped == null) {
            largeTarget(o, "large I/O through the adapter", "adapter-write", "adapter-read");
            largeTarget(o, "large I/O through the app", "upload", "download");
        }
        Results.Series all = results.get("srv/list/all");
        if (all != null) {
            o.println("| listing " + opts.docs + " checked-out documents < 1 s | max " + Results.num(all.max(), "ms")
                    + " ms: " + (all.max() < 1000 ? "met" : all.median() < 1000 ? "met by the median, not by every "
                    + "listing" : "MISSED") + " |");
        }
        if (load != null) {
            o.println("| mixed load: 0 5xx, 0 wrong contents | " + load.stats.serverErrors() + " 5xx, "
                    + load.stats.wrongContents() + " wrong: " + (load.stats.serverErrors() == 0
                    && load.stats.wrongContents() == 0 ? "met" : "MISSED") + " |");
        }
        o.println();
    }

    private double med(String op, String column) {
        return results.get(ServerOpsBench.key(op, column)).median();
    }

    private String ms(String key) {
        Results.Series s = results.get(key);
        return s == null ? "n/a" : BenchReport.ms(s.median());
    }

    private static String us(double v) {
        return Results.num(v, "us");
    }

    private static String pct(double d, double of) {
        double p = 100 * d / of;
        return (p >= 0 ? "+" : "−") + String.format(Locale.ROOT, "%.1f", Math.abs(p)) + " %";
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "−") + Results.num(Math.abs(v), "us");
    }
}
