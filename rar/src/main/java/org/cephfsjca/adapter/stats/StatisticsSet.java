package org.cephfsjca.adapter.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * A fixed set of {@link Statistic}s as IronJacamar's {@link StatisticsPlugin}. The names are fixed when the set is
 * made (WildFly reads them once, when the pool starts, and registers one attribute per name).
 *
 * <ul>
 * <li>{@link #setEnabled}: WildFly calls it with the resource adapter's {@code statistics-enabled} when the adapter
 *     activates, and whenever the {@code statistics-enabled} attribute of a {@code statistics=extended} resource is
 *     written. Disabled, every statistic reads 0 (text: empty), as IronJacamar's pool statistics do. Enabled by
 *     default (plain Java SE).</li>
 * <li>{@link #clear}: the {@code clear-statistics} operation. Counters count from zero again (a baseline is kept;
 *     the adapter's own counts are untouched, so two sets never disturb each other); gauges are not affected.</li>
 * </ul>
 */
public final class StatisticsSet implements StatisticsPlugin {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Statistic> byName;
    private final transient Map<String, Long> baselines = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    public StatisticsSet(List<Statistic> statistics) {
        Map<String, Statistic> m = new LinkedHashMap<>();
        for (Statistic s : statistics) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate statistic " + s.name());
            }
        }
        byName = Collections.unmodifiableMap(m);
    }

    @Override
    public Set<String> getNames() {
        return byName.keySet();
    }

    @Override
    public Class getType(String name) {
        Statistic s = byName.get(name);
        return s == null ? null : s.type();
    }

    @Override
    public String getDescription(String name) {
        Statistic s = byName.get(name);
        return s == null ? null : s.description();
    }

    @Override
    public String getDescription(String name, Locale locale) {
        return getDescription(name);
    }

    @Override
    public Object getValue(String name) {
        Statistic s = byName.get(name);
        if (s == null) {
            return null;
        }
        if (!enabled) {
            return s.zero();
        }
        Object v = s.value().get();
        if (v == null) {
            return s.zero();
        }
        if (!s.counter()) {
            return v;
        }
        long raw = (Long) v;
        Long base = baselines.get(name);
        if (base == null) {
            return raw;
        }
        if (raw < base) { // the adapter was restarted since the clear: its counts began again from zero
            baselines.remove(name, base);
            return raw;
        }
        return raw - base;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void clear() {
        for (Statistic s : byName.values()) {
            if (s.counter()) {
                Object v = s.value().get();
                baselines.put(s.name(), v == null ? 0L : (Long) v);
            }
        }
    }

    @Override
    public String toString() {
        return "StatisticsSet" + byName.keySet() + (enabled ? "" : " (disabled)");
    }
}
