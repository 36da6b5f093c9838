package org.cephfsjca.example;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * WildFly's pool statistics of the connection definition bound at {@link #JNDI}, read in-process through the
 * server's JMX view of its management model ({@code jboss.as:subsystem=resource-adapters,resource-adapter=*,
 * connection-definitions=*,statistics=pool}). Statistics exist only when the adapter was defined through the
 * resource-adapters subsystem with {@code statistics-enabled=true} (see configure-adapter.cli).
 */
final class PoolStatistics {

    static final String JNDI = "java:/ceph/FileSystem";
    static final List<String> FIGURES = List.of("ActiveCount", "InUseCount", "IdleCount", "AvailableCount",
            "CreatedCount", "DestroyedCount", "MaxUsedCount", "WaitCount", "TimedOut", "BlockingFailureCount",
            "AverageGetTime", "MaxGetTime", "AverageCreationTime", "MaxCreationTime");

    private PoolStatistics() {
    }

    /** The figures by WildFly's attribute names, plus "resourceAdapter"/"connectionDefinition"; or an "error". */
    static Map<String, Object> read() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> defs = server.queryNames(new ObjectName(
                    "jboss.as:subsystem=resource-adapters,resource-adapter=*,connection-definitions=*"), null);
            ObjectName def = null;
            for (ObjectName n : defs) {
                Object jndi = attribute(server, n, "jndi-name");
                if (JNDI.equals(jndi)) {
                    def = n;
                    break;
                }
            }
            if (def == null) {
                out.put("error", "no connection definition bound at " + JNDI + " in the resource-adapters subsystem");
                return out;
            }
            out.put("resourceAdapter", def.getKeyProperty("resource-adapter"));
            out.put("connectionDefinition", def.getKeyProperty("connection-definitions"));
            ObjectName pool = new ObjectName(def + ",statistics=pool");
            for (String f : FIGURES) {
                Object v = attribute(server, pool, f);
                if (v != null) {
                    out.put(f, v);
                }
            }
        } catch (Exception e) {
            out.put("error", "pool statistics not readable: " + e);
        }
        return out;
    }

    /** An attribute by its management-model name; the JMX facade may spell it in camel case. */
    private static Object attribute(MBeanServer server, ObjectName name, String modelName) throws Exception {
        String wanted = modelName.replace("-", "").toLowerCase(Locale.ROOT);
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            if (a.getName().replace("-", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return server.getAttribute(name, a.getName());
            }
        }
        return null;
    }
}
