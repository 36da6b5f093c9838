package org.cephfsjca.adapter.session;

import java.util.Objects;

/**
 * A cephx identity: the id (without {@code client.}) and, when the container supplied it, the key. A key given
 * here overrides the configured keyring. {@link #toString()} never shows the key.
 */
public final class Identity {

    private final String user;
    private final String key;

    public Identity(String user, String key) {
        this.user = Objects.requireNonNull(user, "user");
        this.key = key;
    }

    public String user() {
        return user;
    }

    /** The key, or null to use the configured keyring. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity && ((Identity) o).user.equals(user) && Objects.equals(((Identity) o).key, key);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "client." + user + (key == null ? "" : " (key from container credentials)");
    }
}
