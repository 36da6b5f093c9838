package org.cephfsjca.adapter.recovery;

import java.nio.file.FileSystemException;

/**
 * A start could not create its node's directory in the lease root within the mount timeout: the MDS waits for caps
 * on the lease root held by a session that does not answer, in practice a node that died and that no running peer
 * took over. The message says how it ends and what an operator can do.
 */
public final class LeaseRootBlockedException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    public LeaseRootBlockedException(String nodeDirectory, int boundSeconds) {
        super(nodeDirectory, null, "not created within " + boundSeconds + " s (mountTimeoutSeconds): the MDS is "
                + "waiting for caps on " + OwnerLease.DIRECTORY + " held by a session that does not answer, most likely"
                + " of a node that died and that no running peer took over (takeoverAfterMillis); they are freed when"
                + " a peer takes it over, when it restarts with its node id, or when its session times out"
                + " (sessionTimeoutSeconds of that node, 300 s by default). Start again then, or reset that node's"
                + " sessions first (scripts/prestart-reset.sh)");
    }
}
