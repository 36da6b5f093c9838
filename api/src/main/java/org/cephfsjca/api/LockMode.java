package org.cephfsjca.api;

/** Advisory whole-file lock modes ({@code flock(2)} semantics, enforced by the MDS across clients). */
public enum LockMode {
    /** Many holders at once; excludes {@link #EXCLUSIVE}. */
    SHARED,
    /** One holder; excludes every other lock. */
    EXCLUSIVE
}
