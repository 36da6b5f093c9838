package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.fs.MountedConnection;
import org.cephfsjca.adapter.session.CephDefaults;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * The adapter's Ceph defaults (in-memory debug logs off), read back from libcephfs with ceph_conf_get: applied to
 * pooled sessions; a value in cephOptions wins; a value ceph.conf sets wins too.
 */
class CephDefaultsTest {

    @Test
    void pooledSessionsRunWithTheDebugLogsOff() throws Exception {
        CephResourceAdapter ra = Adapters.started(Adapters.freshNodeId("dbg"), 2, null);
        try (CephConnection c = Adapters.factory(ra).getConnection()) {
            CephMount m = ((MountedConnection) c).mount();
            for (Map.Entry<String, String> o : CephDefaults.OPTIONS.entrySet()) {
                assertEquals(o.getValue(), m.getOption(o.getKey()), o.getKey());
            }
            assertEquals("0/0", m.getOption("debug_client"), "the adapter's default, not Ceph's 0/5");
        } finally {
            ra.stop();
        }
    }

    @Test
    void cephOptionsWin() throws Exception {
        CephResourceAdapter ra = Adapters.started(Adapters.freshNodeId("dbgopt"), 2,
                x -> x.setCephOptions("debug_client=0/5; debug objectcacher=1/3"));
        try (CephConnection c = Adapters.factory(ra).getConnection()) {
            CephMount m = ((MountedConnection) c).mount();
            assertEquals("0/5", m.getOption("debug_client"));
            assertEquals("1/3", m.getOption("debug_objectcacher"), "Ceph's spelling with a space names it too");
            assertEquals("0/0", m.getOption("debug_objecter"), "the others keep the adapter's default");
        } finally {
            ra.stop();
        }
    }

    @Test
    void whatTheConfigurationFileSetsWins(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("ceph.conf");
        String text = Files.readString(Path.of(TestCluster.conf()));
        Files.writeString(conf, text.replaceFirst("\\[global\\]", "[global]\ndebug client = 2/2\n"));
        AdapterConfig config = new AdapterConfig.Builder().configFile(conf.toString()).build("dbgconf");
        try (CephMount m = new SessionOpener(config).initialized(new Identity("admin", null))) {
            assertEquals("2/2", m.getOption("debug_client"), "set in ceph.conf");
            assertEquals("0/0", m.getOption("debug_objectcacher"), "not in ceph.conf: the adapter's default");
        }
    }
}
