package org.cephfsjca.api;

/** A held whole-file lock. {@link #close()} releases it; closing twice is harmless. */
public interface CephLock extends AutoCloseable {

    String path();

    LockMode mode();

    /** False once released (by close, or because its connection closed or its session was lost). */
    boolean isValid();

    @Override
    void close();
}
