package org.cephfsjca.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The local cluster, as {@code eval "$(scripts/ceph-cluster.sh env)"} describes it. */
final class Env {

    private Env() {
    }

    static String conf() {
        String conf = System.getenv("CEPH_CONF");
        if (conf == null || conf.isEmpty() || !Files.isReadable(Path.of(conf))) {
            throw new IllegalStateException("CEPH_CONF is not set or not readable: run scripts/bench.sh, or start the "
                    + "cluster with scripts/ceph-cluster.sh start and eval \"$(scripts/ceph-cluster.sh env)\"");
        }
        return conf;
    }

    static String fsName() {
        String fs = System.getenv("CEPH_FS_NAME");
        return fs == null || fs.isEmpty() ? "cephfs" : fs;
    }
}
