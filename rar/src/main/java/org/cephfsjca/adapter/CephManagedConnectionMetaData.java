package org.cephfsjca.adapter;

import jakarta.resource.spi.ManagedConnectionMetaData;

import org.cephfsjca.libcephfs.CephMount;

/** Describes the EIS behind a session: Ceph, its libcephfs version, the slot limit and the cephx user. */
final class CephManagedConnectionMetaData implements ManagedConnectionMetaData {

    private final String user;
    private final int maxConnections;

    CephManagedConnectionMetaData(String user, int maxConnections) {
        this.user = user;
        this.maxConnections = maxConnections;
    }

    @Override
    public String getEISProductName() {
        return "Ceph File System (libcephfs)";
    }

    @Override
    public String getEISProductVersion() {
        return CephMount.version();
    }

    @Override
    public int getMaxConnections() {
        return maxConnections;
    }

    @Override
    public String getUserName() {
        return "client." + user;
    }
}
