package org.cephfsjca.it.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies and answers per operation, and what went wrong, from every worker. */
final class Stats {

    private final Map<String, ConcurrentLinkedQueue<Long>> micros = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    void record(String op, int status, long nanos) {
        micros.computeIfAbsent(op, k -> new ConcurrentLinkedQueue<>()).add(nanos / 1000);
        answers.computeIfAbsent(op + " " + status, k -> new AtomicLong()).incrementAndGet();
    }

    void problem(String what) {
        if (problems.size() < 200) {
            problems.add(what);
        }
    }

    List<String> problems() {
        return new ArrayList<>(problems);
    }

    long count(String op) {
        ConcurrentLinkedQueue<Long> q = micros.get(op);
        return q == null ? 0 : q.size();
    }

    long total() {
        return micros.values().stream().mapToLong(ConcurrentLinkedQueue::size).sum();
    }

    /** Answers with a status of 500 or more. */
    long serverErrors() {
        return answers.entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(
                e.getKey().lastIndexOf(' ') + 1)) >= 500).mapToLong(e -> e.getValue().get()).sum();
    }

    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** "op: n requests, p50 x ms, p99 y ms, max z ms" per operation, and all together. */
    String report(double seconds) {
        StringBuilder b = new StringBuilder();
        List<Long> all = new ArrayList<>();
        for (Map.Entry<String, ConcurrentLinkedQueue<Long>> e : new TreeMap<>(micros).entrySet()) {
            List<Long> l = new ArrayList<>(e.getValue());
            all.addAll(l);
            b.append(line(e.getKey(), l, seconds)).append('\n');
        }
        b.append(line("all", all, seconds));
        return b.toString();
    }

    private static String line(String op, List<Long> l, double seconds) {
        Collections.sort(l);
        return String.format("%-9s %6d requests %7.1f/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms", op, l.size(),
                l.size() / seconds, pct(l, 50), pct(l, 99), l.isEmpty() ? 0 : l.get(l.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
    }
}
