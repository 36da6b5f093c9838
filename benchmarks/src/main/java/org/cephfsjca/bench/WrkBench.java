package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP GET and PUT of the example app's documents with wrk (Debian package), per size and connection count: requests/s
 * and the latency p50/p99 of {@code wrk --latency}. GET reads one document of the size; PUT (a Lua script) replaces
 * one of 32 documents of the size in turn. The credentials reach the Lua scripts through the environment, never a
 * command line or a log. Raw outputs: {@code <logDir>/wrk-*.log}. Results: {@code srv/http/<GET|PUT>-<size>/<conns>}
 * (req/s per repetition), {@code srv/http50/...}, {@code srv/http99/...} (ms).
 */
final class WrkBench {

    private static final String GET_LUA = """
            -- wrk: GET signed in (HTTP Basic from $BENCH_AUTH)
            wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
            """;
    private static final String PUT_LUA = """
            -- wrk: PUT of $BENCH_BODY_BYTES bytes to $BENCH_PUT_PREFIX<0..31>.bin in turn, signed in ($BENCH_AUTH)
            wrk.method = "PUT"
            wrk.body = string.rep("x", tonumber(os.getenv("BENCH_BODY_BYTES")))
            wrk.headers["Content-Type"] = "application/octet-stream"
            wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
            local prefix = os.getenv("BENCH_PUT_PREFIX")
            local n = 0
            request = function()
              n = n + 1
              return wrk.format(nil, prefix .. (n % 32) .. ".bin")
            end
            """;
    private static final Pattern PCT = Pattern.compile("(?m)^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON2XX = Pattern.compile("(?m)^\\s+Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile("(?m)^\\s+Socket errors: (.*)$");

    private final ServerOptions opts;
    private final Results results;
    private final AppClient app;
    private final String apiUrl;
    private final String authorization;
    private final Path logDir;
    /** Answers that were not 2xx and socket errors, per row (none expected). */
    final Map<String, String> problems = new LinkedHashMap<>();

    WrkBench(ServerOptions opts, Results results, AppClient app, String apiUrl, String authorization, Path logDir) {
        this.opts = opts;
        this.results = results;
        this.app = app;
        this.apiUrl = apiUrl;
        this.authorization = authorization;
        this.logDir = logDir;
    }

    static String key(String kind, String method, String size, int connections) {
        return "srv/" + kind + "/" + method + "-" + size + "/" + connections;
    }

    void run() throws Exception {
        Path get = logDir.resolve("wrk-get.lua");
        Path put = logDir.resolve("wrk-put.lua");
        Files.writeString(get, GET_LUA);
        Files.writeString(put, PUT_LUA);
        for (String size : opts.wrkSizes) {
            app.put(AppClient.doc("wrk/get-" + size + ".bin"), new byte[ServerOptions.bytes(size)]).expect(200, 201);
        }
        // a warm-up, not kept: the first run otherwise measures the JIT compiling the request path
        int most = opts.wrkConnections.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (String size : opts.wrkSizes) {
            wrk("GET", size, most, -1, get, apiUrl + AppClient.doc("wrk/get-" + size + ".bin"));
            wrk("PUT", size, most, -1, put, apiUrl);
        }
        for (int rep = 0; rep < opts.wrkReps; rep++) {
            for (String size : opts.wrkSizes) {
                for (int c : opts.wrkConnections) {
                    wrk("GET", size, c, rep, get, apiUrl + AppClient.doc("wrk/get-" + size + ".bin"));
                    wrk("PUT", size, c, rep, put, apiUrl);
                }
            }
        }
    }

    private void wrk(String method, String size, int connections, int rep, Path script, String url) throws Exception {
        boolean warmup = rep < 0;
        String name = "wrk-" + method + "-" + size + "-" + connections + "c-" + (warmup ? "warmup" : "r" + (rep + 1));
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t", Integer.toString(Math.min(connections, 2)), "-c",
                Integer.toString(connections), "-d", opts.wrkSeconds + "s", "--timeout", "60s", "--latency",
                "-s", script.toString(), url));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BENCH_AUTH", authorization);
        pb.environment().put("BENCH_BODY_BYTES", Integer.toString(ServerOptions.bytes(size)));
        pb.environment().put("BENCH_PUT_PREFIX", java.net.URI.create(apiUrl).getPath()
                + AppClient.doc("wrk/put-" + size + "-"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(opts.wrkSeconds + 120L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException(name + " failed:\n" + out);
        }
        Files.writeString(logDir.resolve(name + ".log"), String.join(" ", cmd) + "\n" + out);
        if (warmup) {
            return;
        }
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException(name + ": no Requests/sec in\n" + out);
        }
        double rps = Double.parseDouble(rate.group(1));
        results.append(key("http", method, size, connections), "ops/s", new double[] {rps});
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            results.append(key("http" + m.group(1), method, size, connections), "ms",
                    new double[] {millis(Double.parseDouble(m.group(2)), m.group(3))});
        }
        Matcher bad = NON2XX.matcher(out);
        Matcher sock = SOCKET.matcher(out);
        String problem = (bad.find() ? bad.group(1) + " non-2xx answers " : "") + (sock.find() ? "socket errors: "
                + sock.group(1) : "");
        if (!problem.isEmpty()) {
            problems.merge(method + " " + size + " " + connections + "c", problem.trim(), (a, b) -> a + "; " + b);
        }
        log(String.format(Locale.ROOT, "  %s: %.0f req/s%s", name, rps, problem.isEmpty() ? "" : " (" + problem.trim() + ")"));
    }

    private static double millis(double v, String unit) {
        return switch (unit) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
