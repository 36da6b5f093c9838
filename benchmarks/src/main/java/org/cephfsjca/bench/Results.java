package org.cephfsjca.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Repetition values per (section, name), with medians and ranges, and the number formats of the table. */
final class Results {

    /** One measured quantity: one value per repetition. */
    record Series(String unit, double[] values) {

        double median() {
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(values).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(values).max().orElse(Double.NaN);
        }

        /** The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
        double percentile(double p) {
            double[] v = values.clone();
            Arrays.sort(v);
            return v.length == 0 ? Double.NaN : v[Math.max(0, (int) Math.ceil(p / 100 * v.length) - 1)];
        }
    }

    private final Map<String, Series> series = new LinkedHashMap<>();

    void put(String key, String unit, double[] values) {
        series.put(key, new Series(unit, values));
    }

    /** Adds repetitions to a series (rounds of the same measurement). */
    void append(String key, String unit, double[] values) {
        Series old = series.get(key);
        if (old == null) {
            put(key, unit, values);
            return;
        }
        double[] all = Arrays.copyOf(old.values(), old.values().length + values.length);
        System.arraycopy(values, 0, all, old.values().length, values.length);
        series.put(key, new Series(unit, all));
    }

    Series get(String key) {
        return series.get(key);
    }

    /** Parses "v1,v2,...". */
    static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** "median [min–max]" in the unit's format. */
    static String cell(Series s) {
        if (s == null) {
            return "n/a";
        }
        return num(s.median(), s.unit()) + " [" + num(s.min(), s.unit()) + "–" + num(s.max(), s.unit()) + "]";
    }

    static String num(double v, String unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        switch (unit) {
            case "ops/s":
                return v >= 10_000_000 ? String.format(Locale.ROOT, "%.1fM", v / 1e6)
                        : v >= 10_000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
            case "MiB/s":
                return String.format(Locale.ROOT, "%.0f", v);
            case "us":
                return String.format(Locale.ROOT, v < 1 ? "%.3f" : v < 10 ? "%.2f" : "%.1f", v);
            case "ms":
                return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
            default:
                return String.format(Locale.ROOT, "%.3g", v);
        }
    }

    /** a/b as "0.97x", or n/a. */
    static String ratio(Series a, Series b) {
        if (a == null || b == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2fx", a.median() / b.median());
    }

    static double ratioValue(Series a, Series b) {
        return a == null || b == null ? Double.NaN : a.median() / b.median();
    }
}
