package org.cephfsjca.adapter.fs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Base of the tests that need two clients of the cluster (locks and caps across sessions): two client.admin
 * mounts and one fresh directory per test class, removed and unmounted after it.
 */
abstract class TwoMountTestSupport {

    protected static CephMount mount;
    protected static CephMount otherMount;
    protected static String dir;

    @BeforeAll
    static void mountTwiceAndCreateDirectory(TestInfo info) throws Exception {
        mount = TestCluster.mounted();
        otherMount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, info.getTestClass().orElseThrow());
    }

    @AfterAll
    static void removeDirectoryAndUnmount() throws Exception {
        if (otherMount != null) {
            otherMount.close();
        }
        TestCluster.cleanUp(mount, dir);
    }
}
