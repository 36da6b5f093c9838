package org.cephfsjca.adapter.prestart;

import java.io.IOException;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.recovery.OwnerLease;
import org.cephfsjca.adapter.recovery.SessionRecovery;
import org.cephfsjca.adapter.recovery.StartRecovery;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.adapter.session.SessionOpener;
import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.api.RecoveryReport;

/**
 * One node's start-time recovery, run outside the server: the adapter's own owner check and resets
 * ({@link StartRecovery}), then the lease taken and released cleanly, so that the lease record says
 * {@code state=stopped} and the adapter's next start finds "previous owner stopped cleanly" without waiting, and its
 * resets find nothing (ENOENT). Without that release the record would still be the dead owner's "running" one, and the
 * next start would wait 2.5 x leaseInterval to see that its heartbeat does not advance.
 */
final class NodeReset {

    private final AdapterConfig config;

    NodeReset(AdapterConfig config) {
        this.config = config;
    }

    /**
     * @throws org.cephfsjca.adapter.recovery.NodeIdConflictException a live owner holds the node id: no session was
     *         touched and the lease is left as it is
     */
    RecoveryReport run() throws IOException {
        SessionOpener opener = new SessionOpener(config);
        SessionUuids uuids = opener.uuids();
        Identity identity = new Identity(config.user(), config.key());
        OwnerLease lease = new OwnerLease(opener, uuids, config.leaseIntervalMillis());
        RecoveryReport report = StartRecovery.checkAndReset(lease, new SessionRecovery(opener, uuids), identity, null);
        try {
            lease.hold(identity); // mounts the (just reset) lease uuid and writes state=running ...
        } finally {
            lease.close(); // ... then state=stopped, and unmounts: no session of this run stays in the MDS
        }
        return report;
    }
}
