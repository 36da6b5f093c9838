package org.cephfsjca.adapter.session;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cephfsjca.libcephfs.CephMount;

/**
 * The Ceph options whose defaults the adapter changes: libcephfs' in-memory debug logs, off. Ceph 16 gathers
 * {@code debug_client} and {@code debug_objectcacher} up to level 5 in memory by default ({@code 0/5}: nothing is
 * written, but every call formats its log lines into a ring of the last {@code log_max_recent} = 500 entries, which
 * libcephfs prints only if it crashes on an assertion). That formatting is most of a cached call's cost: a cached
 * stat measured ~3x faster, a cached 4 KiB read ~1.9x, at {@code 0/0}.
 *
 * <p>Precedence, highest first: the adapter's {@code cephOptions} (applied after these); the configuration file
 * (a default is applied only to an option still at Ceph's built-in value once the file was read); these defaults;
 * the monitors' configuration database ({@code ceph config set client ...}) and Ceph's built-in values, which a
 * {@code ceph_conf_set} outranks. To get the in-memory logs back, set e.g. {@code debug_client=0/5} in
 * {@code cephOptions} or ceph.conf.
 */
public final class CephDefaults {

    /** Option, the adapter's value. */
    public static final Map<String, String> OPTIONS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("debug_client", "0/0");       // Ceph 16: 0/5
        m.put("debug_objectcacher", "0/0"); // 0/5
        m.put("debug_objecter", "0/0");     // 0/1
        m.put("debug_ms", "0/0");           // 0/0 in Ceph 16; older releases gathered more
        OPTIONS = java.util.Collections.unmodifiableMap(m);
    }

    private final Map<String, String> builtIn = new LinkedHashMap<>();

    /** Reads Ceph's built-in values from a client that has no configuration applied yet (just created). */
    CephDefaults(CephMount created) throws java.io.IOException {
        for (String option : OPTIONS.keySet()) {
            builtIn.put(option, created.getOption(option));
        }
    }

    /** Sets each default whose option the configuration file left at Ceph's built-in value. Before init. */
    void apply(CephMount configured) throws java.io.IOException {
        for (Map.Entry<String, String> o : OPTIONS.entrySet()) {
            if (configured.getOption(o.getKey()).equals(builtIn.get(o.getKey()))) {
                configured.setOption(o.getKey(), o.getValue());
            }
        }
    }
}
