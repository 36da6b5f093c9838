package org.cephfsjca.adapter.session;

import java.util.ArrayList;
import java.util.List;

import org.cephfsjca.libcephfs.CephMount;

/**
 * The stable session uuid of each slot of one node, and of its lease session:
 * <pre>
 *   slot k:  &lt;prefix&gt;-&lt;nodeId&gt;-&lt;hex&gt;        hex = first 24 hex digits of HMAC-SHA256(secret, "prefix|nodeId|k")
 *   lease:   &lt;prefix&gt;-&lt;nodeId&gt;-lease-&lt;hex&gt;  hex = first 24 hex digits of HMAC-SHA256(secret, "prefix|nodeId|lease")
 * </pre>
 * Stable across restarts (same secret, prefix and node id), so the next incarnation can find and reset what the
 * previous one left, and computable by the node's peers that hold the same secret ({@link #forNode}: cluster
 * takeover). Without the secret nobody can compute them: 96 bits of a keyed hash. That matters because Ceph 16 evicts
 * the session whose uuid any client names in a reset, even a client of another cephx user confined to another
 * directory (docs/threat-model.md). The prefix and node id stay readable, so operators see in {@code session ls}
 * which node a session belongs to; at most 32 + 1 + 64 + 7 + 24 = 128 characters, the libcephfs limit.
 *
 * <p>{@link #previous()}: the uuids under the previous secret during a rotation (or the plain uuids of versions
 * before secrets), which recovery resets too.
 */
public final class SessionUuids {

    /** Hex digits of the keyed hash in a uuid: 96 bits. */
    public static final int HASH_HEX_DIGITS = 24;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String prefix;
    private final String nodeId;
    private final UuidSecret secret;
    private final UuidSecret previousSecret;

    /**
     * @param secret         the uuid key ({@link UuidSecret#current})
     * @param previousSecret the key before a rotation, or null
     */
    public SessionUuids(String prefix, String nodeId, UuidSecret secret, UuidSecret previousSecret) {
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.secret = java.util.Objects.requireNonNull(secret, "secret");
        this.previousSecret = previousSecret != null && previousSecret.sameAs(secret) ? null : previousSecret;
        CephMount.validateUuid(of(0)); // fail early on a prefix/node id that cannot form a uuid
        CephMount.validateUuid(lease());
    }

    public SessionUuids(String prefix, String nodeId, UuidSecret secret) {
        this(prefix, nodeId, secret, null);
    }

    /**
     * The plain uuids {@code <prefix>-<nodeId>-<slot>} and {@code <prefix>-<nodeId>-lease} of versions before
     * secrets, which anyone who can guess a node id can compute.
     *
     * @deprecated only for resetting what an older version left (previousUuidSecret=plain); use
     *             {@link #forNode(String)} on the node's own uuids to compute a peer's
     */
    @Deprecated
    public SessionUuids(String prefix, String nodeId) {
        this(prefix, nodeId, UuidSecret.plain(), null);
    }

    /** The uuid of slot {@code slot}. */
    public String of(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0: " + slot);
        }
        if (secret.isPlain()) {
            return prefix + "-" + nodeId + "-" + slot;
        }
        return prefix + "-" + nodeId + "-" + hash(Integer.toString(slot));
    }

    /** The uuid of the session that holds this node's lease (see OwnerLease). */
    public String lease() {
        if (secret.isPlain()) {
            return prefix + "-" + nodeId + "-lease";
        }
        return prefix + "-" + nodeId + "-lease-" + hash("lease");
    }

    /** The same scheme and secrets for another node id (a peer of the same cluster, for takeover). */
    public SessionUuids forNode(String otherNodeId) {
        return new SessionUuids(prefix, otherNodeId, secret, previousSecret);
    }

    /** The uuids under the previous secret (rotation, or upgrade from plain uuids), or null if none is configured. */
    public SessionUuids previous() {
        return previousSecret == null ? null : new SessionUuids(prefix, nodeId, previousSecret, null);
    }

    /**
     * What a rotation leaves to reset: the previous scheme's uuids of slots {@code 0..slots-1}, then its lease uuid;
     * empty when no previous secret is configured.
     */
    public List<String> previousUuids(int slots) {
        SessionUuids p = previous();
        List<String> out = new ArrayList<>();
        if (p != null) {
            for (int slot = 0; slot < slots; slot++) {
                out.add(p.of(slot));
            }
            out.add(p.lease());
        }
        return out;
    }

    /** True if {@code uuid} is a session uuid of this node under the current scheme (slot or lease), by its form. */
    public boolean looksLikeOurs(String uuid) {
        return uuid != null && uuid.startsWith(prefix + "-" + nodeId + "-");
    }

    public String prefix() {
        return prefix;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Where the current secret came from (never its value). */
    public String secretSource() {
        return secret.source();
    }

    private String hash(String what) {
        byte[] mac = secret.mac(prefix + "|" + nodeId + "|" + what);
        char[] out = new char[HASH_HEX_DIGITS];
        for (int i = 0; i < HASH_HEX_DIGITS; i++) {
            int b = mac[i / 2] & 0xff;
            out[i] = HEX[(i % 2 == 0) ? b >>> 4 : b & 0xf];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "SessionUuids[" + prefix + "-" + nodeId + ", secret " + secret.source()
                + (previousSecret == null ? "" : ", previous secret " + previousSecret.source()) + "]";
    }
}
