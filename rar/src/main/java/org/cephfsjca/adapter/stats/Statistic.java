package org.cephfsjca.adapter.stats;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One named statistic. Its type is {@code int.class}, {@code long.class} or {@code String.class}: WildFly types
 * the management attribute INT or LONG only for the two primitive classes (anything else, even {@code Long.class},
 * becomes a STRING, which no metrics exporter picks up).
 *
 * @param name        the attribute name (CamelCase, as IronJacamar's own pool statistics)
 * @param type        int.class, long.class or String.class
 * @param description what it means (shown by read-resource-description)
 * @param value       reads the current value (cheap, never blocks: no call to the cluster)
 * @param counter     a count since the adapter started: {@code clear()} makes it count from zero again; gauges
 *                    (states, the last recovery) are not affected by a clear
 */
public record Statistic(String name, Class<?> type, String description, Supplier<Object> value, boolean counter) {

    public Statistic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(value, "value");
        if (type != int.class && type != long.class && type != String.class) {
            throw new IllegalArgumentException(name + ": type must be int.class, long.class or String.class, was "
                    + type);
        }
        if (counter && type != long.class) {
            throw new IllegalArgumentException(name + ": a counter is a long");
        }
    }

    static Statistic gaugeInt(String name, String description, Supplier<Integer> value) {
        return new Statistic(name, int.class, description, value::get, false);
    }

    static Statistic gaugeLong(String name, String description, Supplier<Long> value) {
        return new Statistic(name, long.class, description, value::get, false);
    }

    static Statistic text(String name, String description, Supplier<String> value) {
        return new Statistic(name, String.class, description, value::get, false);
    }

    static Statistic counter(String name, String description, Supplier<Long> value) {
        return new Statistic(name, long.class, description, value::get, true);
    }

    /** What the statistic reads while statistics are disabled (and when its value is missing). */
    Object zero() {
        return type == int.class ? (Object) 0 : type == long.class ? (Object) 0L : "";
    }
}
