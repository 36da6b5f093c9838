package org.cephfsjca.adapter.fs;

/** Something opened through a connection that the connection must release when it closes. */
interface TrackedResource {

    /** Releases the resource: never throws, idempotent, and safe from another thread than the one using it. */
    void release();

    /** Locks are released first, while their files are still open, so that the unlock reaches the MDS. */
    boolean isLock();
}
