package org.cephfsjca.adapter.session;

import java.io.IOException;

/**
 * No monitor answered within the mount timeout ({@code ceph_init} gave ETIMEDOUT): the cluster is down or the
 * configured monitor addresses are wrong. The message names the addresses tried and the timeout.
 */
public final class ClusterUnreachableException extends IOException {

    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String monitors, int timeoutSeconds, IOException cause) {
        super("Ceph cluster unreachable: no monitor at " + monitors + " answered within mountTimeoutSeconds="
                + timeoutSeconds + " s (" + cause.getMessage() + ")", cause);
    }
}
