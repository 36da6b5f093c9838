package org.cephfsjca.adapter.fs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * Base of the connection tests: one client.admin mount and one fresh directory per test class (removed after it),
 * and a new {@link MountedConnection} on that mount for every test (closed after it).
 */
abstract class ConnectionTestSupport {

    protected static CephMount mount;
    protected static String dir;
    protected MountedConnection c;

    @BeforeAll
    static void mountAndCreateDirectory(TestInfo info) throws Exception {
        mount = TestCluster.mounted();
        dir = TestCluster.testDir(mount, info.getTestClass().orElseThrow());
    }

    @AfterAll
    static void removeDirectoryAndUnmount() throws Exception {
        TestCluster.cleanUp(mount, dir);
    }

    @BeforeEach
    void openConnection() {
        c = new MountedConnection(mount, null);
    }

    @AfterEach
    void closeConnection() {
        c.close();
    }
}
