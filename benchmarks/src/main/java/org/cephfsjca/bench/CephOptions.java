package org.cephfsjca.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.cephfsjca.adapter.session.CephDefaults;

/**
 * The Ceph options every implementation of a run gets alike, so that runs compare like with like: C
 * ({@code ceph_conf_set} after reading ceph.conf), JNI ({@code conf_set}), our binding ({@code setOption}) and the
 * adapter ({@code cephOptions}: which win over ceph.conf there too). By default the adapter's own defaults
 * ({@link CephDefaults}: libcephfs' in-memory debug logs off), then what CEPH_ARGS sets ({@code --name value} or
 * {@code --name=value}), then each {@code --ceph-option name=value}.
 */
final class CephOptions {

    /** Options the harness sets itself (identity, cluster): refused here. */
    private static final Set<String> RESERVED = Set.of("id", "name", "conf", "c", "n", "keyring", "key", "keyfile",
            "mon_host", "client_mount_timeout");

    private final Map<String, String> options = new LinkedHashMap<>(CephDefaults.OPTIONS);

    /** Ceph's spellings of a name ("debug client", "debug-client") as one. */
    static String normalize(String name) {
        return name.trim().replace(' ', '_').replace('-', '_');
    }

    /** {@code name=value}. */
    void add(String nameValue) {
        int eq = nameValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--ceph-option takes name=value: " + nameValue);
        }
        put(nameValue.substring(0, eq), nameValue.substring(eq + 1));
    }

    private void put(String name, String value) {
        String n = normalize(name);
        if (RESERVED.contains(n)) {
            throw new IllegalArgumentException("the harness sets " + n + " itself: not a --ceph-option");
        }
        if (value.contains(";")) {
            throw new IllegalArgumentException("a Ceph option value cannot contain ';' here: " + name);
        }
        options.put(n, value.trim());
    }

    /** CEPH_ARGS-style: {@code --name value} or {@code --name=value} pairs. */
    void addArgs(String cephArgs) {
        if (cephArgs == null || cephArgs.isBlank()) {
            return;
        }
        String[] t = cephArgs.trim().split("\\s+");
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("--") || t[i].length() < 3) {
                throw new IllegalArgumentException("CEPH_ARGS: expected --name value, got " + t[i]);
            }
            String a = t[i].substring(2);
            int eq = a.indexOf('=');
            if (eq > 0) {
                put(a.substring(0, eq), a.substring(eq + 1));
            } else if (i + 1 < t.length) {
                put(a, t[++i]);
            } else {
                throw new IllegalArgumentException("CEPH_ARGS: no value for --" + a);
            }
        }
    }

    Map<String, String> asMap() {
        return options;
    }

    /** The arguments that hand these options to a child ({@link #parseArg} reads them back). */
    List<String> childArgs() {
        List<String> args = new ArrayList<>();
        options.forEach((k, v) -> args.addAll(List.of("--ceph-option", k + "=" + v)));
        return args;
    }

    /** The adapter's cephOptions property. */
    static String asAdapterProperty(Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** One {@code name=value} argument of a child into {@code into}. */
    static void parseArg(String nameValue, Map<String, String> into) {
        int eq = nameValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--ceph-option takes name=value: " + nameValue);
        }
        into.put(nameValue.substring(0, eq), nameValue.substring(eq + 1));
    }

    /** For the report: {@code name=value, ...}. */
    static String describe(Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
