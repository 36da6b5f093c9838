package org.cephfsjca.adapter.recovery;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.libcephfs.RadosAdmin;

/**
 * Asks the monitors whether an MDS rank of the file system is in {@code up:clientreplay}: after an MDS restart it
 * waits there for the sessions of dead clients with uuids to be reclaimed, and no client can mount until they are
 * reset (docs/research/mds-failover-reset.md). The start's owner check needs a mount, so it asks this when its probe's
 * mount does not complete. One monitor command ({@code fs dump}, which a CephFS client's {@code mon 'allow r'} cap
 * permits), bounded by {@code rados_mon_op_timeout}.
 */
final class MdsState {

    private static final Logger LOG = Logger.getLogger(MdsState.class.getName());
    private static final int MON_TIMEOUT_SECONDS = 10;

    private MdsState() {
    }

    /** True if a rank is up:clientreplay now; false if not, or if the monitors could not be asked. */
    static boolean inClientReplay(AdapterConfig config, Identity identity) {
        try (RadosAdmin r = org.cephfsjca.adapter.session.RadosConnections.connect(config, identity,
                MON_TIMEOUT_SECONDS, MON_TIMEOUT_SECONDS, 0)) {
            RadosAdmin.MonReply reply = r.monCommand("{\"prefix\":\"fs dump\",\"format\":\"json\"}");
            if (reply.rc != 0) {
                LOG.fine(() -> "cephfs-jca: fs dump answered " + reply);
                return false;
            }
            return reply.out.replace(" ", "").contains("\"state\":\"up:clientreplay\"");
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(Level.FINE, "cephfs-jca: could not ask the monitors for the MDS state", e);
            return false;
        }
    }
}
