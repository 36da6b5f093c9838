package org.cephfsjca.libcephfs;

/**
 * Test support: makes one client deaf and mute towards the MDS ({@code ms_blackhole_mds}, a Ceph developer option the
 * messenger reads at each message), so that its calls that need the MDS wait as they do when no MDS is up, while the
 * cluster and every other client go on undisturbed. A fence (blocklist) still reaches it through the monitors.
 */
public final class Blackhole {

    private Blackhole() {
    }

    /** Drops (true) or passes again (false) every message between {@code m} and the MDS. */
    public static void mds(CephMount m, boolean drop) {
        int rc = LibCephFs.ceph_conf_set(m.handle(), CString.of("option", "ms_blackhole_mds", 64),
                CString.of("value", Boolean.toString(drop), 8));
        if (rc != 0) {
            throw new IllegalStateException("ceph_conf_set ms_blackhole_mds: " + rc);
        }
    }

    /** Native frames of threads inside a libcephfs call right now (for "no thread left in C" checks). */
    public static java.util.List<String> threadsInLibCephFs() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] st = e.getValue();
            if (st.length > 0 && st[0].getClassName().equals(LibCephFs.class.getName())) {
                out.add(e.getKey().getName() + " in " + st[0].getMethodName());
            }
        }
        return out;
    }
}
