package org.cephfsjca.adapter.prestart;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;

/**
 * The adapter's config properties (README's table, the names the .rar declares) applied by name to the same
 * {@link AdapterConfig.Builder} the adapter's start uses: each builder method is named after its property, so a new
 * property needs nothing here. Values are never echoed (some are credentials: key, uuidSecret).
 */
final class ConfigProperties {

    private ConfigProperties() {
    }

    /** @throws InvalidConfigurationException naming every unknown property or unparsable value */
    static AdapterConfig.Builder apply(Map<String, String> properties) {
        AdapterConfig.Builder b = new AdapterConfig.Builder();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Method m = setter(e.getKey());
            if (m == null) {
                problems.add("unknown property '" + e.getKey() + "' (known: " + known() + ")");
                continue;
            }
            try {
                m.invoke(b, convert(m.getParameterTypes()[0], e.getValue()));
            } catch (NumberFormatException ex) {
                problems.add("property " + e.getKey() + " must be an integer");
            } catch (IllegalAccessException | InvocationTargetException ex) {
                problems.add("property " + e.getKey() + " could not be set: " + ex.getClass().getSimpleName());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return b;
    }

    private static Method setter(String name) {
        for (Method m : AdapterConfig.Builder.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1
                    && m.getReturnType() == AdapterConfig.Builder.class) {
                return m;
            }
        }
        return null;
    }

    private static String known() {
        TreeSet<String> names = new TreeSet<>();
        for (Method m : AdapterConfig.Builder.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getReturnType() == AdapterConfig.Builder.class) {
                names.add(m.getName());
            }
        }
        return String.join(", ", names);
    }

    /** As the container converts a config-property's text for the adapter's JavaBean setter. */
    private static Object convert(Class<?> type, String v) {
        String t = v.trim();
        if (type == int.class) {
            return Integer.parseInt(t);
        }
        if (type == Integer.class) {
            return t.isEmpty() ? null : Integer.valueOf(t);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(t);
        }
        return v;
    }
}
