package org.cephfsjca.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies (µs) and answers per request kind of the mixed load, and what went wrong (as LoadIT's Stats). */
final class LoadStats {

    static final List<String> KINDS = List.of("GET", "PUT", "list", "checkout", "checkin");

    private final Map<String, ConcurrentLinkedQueue<Long>> micros = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong wrongContent = new AtomicLong();

    void record(String kind, int status, long nanos) {
        micros.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(nanos / 1000);
        answers.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
    }

    void problem(String what) {
        if (problems.size() < 50) {
            problems.add(what);
        }
    }

    void wrongContent(String what) {
        wrongContent.incrementAndGet();
        problem(what);
    }

    long wrongContents() {
        return wrongContent.get();
    }

    List<String> problems() {
        return new ArrayList<>(problems);
    }

    /** Latencies in ms of one kind, or of all kinds together for "all". */
    double[] millis(String kind) {
        List<Long> l = new ArrayList<>();
        micros.forEach((k, q) -> {
            if (kind.equals("all") || k.equals(kind)) {
                l.addAll(q);
            }
        });
        return l.stream().mapToDouble(v -> v / 1000.0).toArray();
    }

    long serverErrors() {
        return answers.entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(
                e.getKey().lastIndexOf(' ') + 1)) >= 500).mapToLong(e -> e.getValue().get()).sum();
    }

    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
