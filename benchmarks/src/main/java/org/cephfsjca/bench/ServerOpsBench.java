package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operations inside the server against the same operations in Java SE ({@link OpLoop} on both sides): stat, 4 KiB
 * read, create + 4 KiB write, lock + unlock; one connection held, get + op + close per operation, and (server only)
 * one EJB call per operation, with the default transaction attribute (REQUIRED) and with NOT_SUPPORTED. The repetitions alternate between the two sides, so that load drift hits both alike.
 * Results per repetition: {@code srv/ops/<op>/<side>-<mode>} (median µs per operation: robust against the other
 * processes of a shared machine preempting single calls), {@code srv/opsmean/...} (mean) and {@code srv/ops99/...}.
 */
final class ServerOpsBench {

    /** Columns: side-mode, title. */
    static final String[][] COLUMNS = {
        {"se-held", "SE, held"}, {"srv-held", "server, held"}, {"se-perop", "SE, get+op+close"},
        {"srv-perop", "server, get+op+close"}, {"srv-percall", "server, one EJB call per op"},
        {"srv-percallnotx", "server, one EJB call per op, NOT_SUPPORTED"},
    };

    private final ServerOptions opts;
    private final Results results;
    private final AppClient server;
    private final String seDir;
    private final Integer leaseIntervalMs;

    ServerOpsBench(ServerOptions opts, Results results, AppClient server, String seDir, Integer leaseIntervalMs) {
        this.opts = opts;
        this.results = results;
        this.server = server;
        this.seDir = seDir;
        this.leaseIntervalMs = leaseIntervalMs;
    }

    void run() throws Exception {
        try (BenchAdapter se = BenchAdapter.start(BenchAdapter.freshNodeId("srvse"), 4, leaseIntervalMs)) {
            OpLoop seLoop = new OpLoop(se.factory, seDir, "se-", 0); // one loop: its created files never repeat
            seLoop.setup();
            server.post("/ops?dir=ops&setup=1", new byte[0]).expect(200);
            for (String op : opts.ops) {
                for (int r = 0; r < opts.opsReps; r++) {
                    record(seLoop.held(op, opts.opsWarmupMs, opts.opsMs), "se-held");
                    record(inServer(op, "held"), "srv-held");
                    record(seLoop.perOp(op, opts.opsWarmupMs, opts.opsMs), "se-perop");
                    record(inServer(op, "perop"), "srv-perop");
                    record(inServer(op, "percall"), "srv-percall");
                    record(inServer(op, "percallnotx"), "srv-percallnotx");
                }
                log("server ops: " + op + " " + summary(op));
            }
        }
    }

    private String summary(String op) {
        StringBuilder b = new StringBuilder();
        for (String[] c : COLUMNS) {
            Results.Series s = results.get(key(op, c[0]));
            b.append(c[0]).append(' ').append(s == null ? "n/a" : Results.num(s.median(), "us")).append(" µs; ");
        }
        return b.toString();
    }

    static String key(String op, String column) {
        return "srv/ops/" + op + "/" + column;
    }

    static String p99Key(String op, String column) {
        return "srv/ops99/" + op + "/" + column;
    }

    static String meanKey(String op, String column) {
        return "srv/opsmean/" + op + "/" + column;
    }

    private void record(OpLoop.Rep rep, String column) {
        if (rep.n() == 0) {
            throw new IllegalStateException(column + " " + rep.op() + ": no operation completed");
        }
        results.append(key(rep.op(), column), "us", new double[] {rep.p50Us()});
        results.append(meanKey(rep.op(), column), "us", new double[] {rep.meanUs()});
        results.append(p99Key(rep.op(), column), "us", new double[] {rep.p99Us()});
    }

    private OpLoop.Rep inServer(String op, String mode) throws Exception {
        String json = new String(server.post("/ops?dir=ops&op=" + op + "&mode=" + mode + "&warmupMs="
                + opts.opsWarmupMs + "&ms=" + opts.opsMs, new byte[0]).expect(200).body(), StandardCharsets.UTF_8);
        return new OpLoop.Rep(op, mode, (int) field(json, "n"), field(json, "meanUs"), field(json, "p50Us"),
                field(json, "p99Us"));
    }

    static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?[0-9.]+|NaN)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The op titles of the table. */
    static final List<String[]> TITLES = List.of(new String[] {"stat", "stat"},
            new String[] {"read4k", "4 KiB read (get+op+close: + open/close)"},
            new String[] {"create", "create + write 4 KiB + close"}, new String[] {"lock", "lock + unlock"});
}
