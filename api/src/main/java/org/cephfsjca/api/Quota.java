package org.cephfsjca.api;

import java.io.Serializable;

/**
 * A CephFS directory quota. 0 means no limit.
 *
 * @param maxBytes {@code ceph.quota.max_bytes}
 * @param maxFiles {@code ceph.quota.max_files}
 */
public record Quota(long maxBytes, long maxFiles) implements Serializable {

    public static final Quota UNLIMITED = new Quota(0, 0);

    public Quota {
        if (maxBytes < 0 || maxFiles < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0: " + maxBytes + ", " + maxFiles);
        }
    }
}
