package org.cephfsjca.adapter.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;
import org.cephfsjca.libcephfs.CephMount;

/**
 * The key of the session uuids ({@link SessionUuids}): whoever holds it can compute this node's uuids, and so evict
 * its sessions (Ceph 16 lets any client that names a session's uuid in a reset evict it, even as another cephx user;
 * see docs/threat-model.md). A credential: {@link #toString()} never shows it, and no message does.
 *
 * <p>Where it comes from, in order:
 * <ol>
 * <li>{@code uuidSecret}: the UTF-8 bytes of the configured string (at least {@value #MIN_EXPLICIT_LENGTH}
 *     characters);</li>
 * <li>else derived from the cephx key of the adapter's configured user ({@code key}, else the {@code keyringFile},
 *     else the keyring ceph.conf names): HMAC-SHA256(key bytes, {@value #DERIVATION_LABEL}). Other tenants of the
 *     cluster do not have that key; every adapter of the same user has it, so peers compute each other's uuids with
 *     nothing more to configure.</li>
 * </ol>
 * A {@code previousUuidSecret} (rotation) takes the same forms plus two: {@code plain} (the uuids before secrets,
 * {@code <prefix>-<nodeId>-<slot>}: for the first start after an upgrade) and {@code cephx-key:<base64 key>} (derived
 * from a cephx key the way the default is: for the first start after the user's key changed).
 */
public final class UuidSecret {

    public static final int MIN_EXPLICIT_LENGTH = 16;
    static final String DERIVATION_LABEL = "cephfs-jca session uuid secret v1";
    /** previousUuidSecret value that names the plain uuids of versions before secrets. */
    public static final String PLAIN = "plain";
    /** previousUuidSecret prefix: derive from this (old) cephx key. */
    public static final String CEPHX_KEY_PREFIX = "cephx-key:";

    private final byte[] bytes;
    private final String source;

    private UuidSecret(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    /** The node's current secret, from the configuration (reads the keyring when derived). */
    public static UuidSecret current(AdapterConfig config) {
        if (config.uuidSecret() != null) {
            return explicit(config.uuidSecret(), "uuidSecret");
        }
        String user = config.user();
        String key = config.key();
        String from;
        if (key != null) {
            from = "the key property";
        } else {
            List<String> tried = new ArrayList<>();
            KeyringEntry found = findKey(config, tried);
            if (found == null) {
                throw new InvalidConfigurationException(List.of("uuidSecret is not set and no cephx key of client."
                        + user + " was found to derive it from (keyrings tried: " + (tried.isEmpty() ? "none"
                        : String.join(", ", tried)) + "); set uuidSecret, or keyringFile or key"));
            }
            key = found.key;
            from = "keyring " + found.file;
        }
        return fromCephxKey(key, "derived from the cephx key of client." + user + " (" + from + ")");
    }

    /**
     * The previous secret for a rotation, or null if none is configured. {@link #isPlain()} is true for
     * {@value #PLAIN}.
     */
    public static UuidSecret previous(AdapterConfig config) {
        String v = config.previousUuidSecret();
        if (v == null) {
            return null;
        }
        if (PLAIN.equals(v)) {
            return new UuidSecret(null, "previousUuidSecret=plain (uuids of versions without secrets)");
        }
        if (v.startsWith(CEPHX_KEY_PREFIX)) {
            return fromCephxKey(v.substring(CEPHX_KEY_PREFIX.length()), "previousUuidSecret (derived from an old "
                    + "cephx key)");
        }
        return explicit(v, "previousUuidSecret");
    }

    /** A secret given as a string (tests, and peers that were configured one). */
    public static UuidSecret explicit(String secret, String source) {
        if (secret == null || secret.length() < MIN_EXPLICIT_LENGTH) {
            throw new InvalidConfigurationException(List.of(source + " must be at least " + MIN_EXPLICIT_LENGTH
                    + " characters (value not shown)"));
        }
        return new UuidSecret(secret.getBytes(StandardCharsets.UTF_8), source);
    }

    /** Derived from a cephx key (base64), as the default is. */
    public static UuidSecret fromCephxKey(String base64Key, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(source + ": the cephx key is not base64 (value not "
                    + "shown)"));
        }
        if (raw.length < 16) {
            throw new InvalidConfigurationException(List.of(source + ": the cephx key is too short (value not shown)"));
        }
        return new UuidSecret(hmac(raw, DERIVATION_LABEL.getBytes(StandardCharsets.UTF_8)), source);
    }

    /** The plain scheme (no secret) of versions before secrets. */
    static UuidSecret plain() {
        return new UuidSecret(null, "plain");
    }

    /** True for the plain scheme, which has no secret. */
    public boolean isPlain() {
        return bytes == null;
    }

    /** Where the secret came from, without its value (for logs). */
    public String source() {
        return source;
    }

    /** HMAC-SHA256 of {@code message} under this secret. */
    byte[] mac(String message) {
        return hmac(bytes, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time equality of two secrets (both plain counts as equal). */
    public boolean sameAs(UuidSecret other) {
        if (other == null) {
            return false;
        }
        if (bytes == null || other.bytes == null) {
            return bytes == other.bytes;
        }
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "UuidSecret[<redacted>, " + source + "]";
    }

    // ------------------------------------------------------------------ keyrings

    private static final class KeyringEntry {
        final String file;
        final String key;

        KeyringEntry(String file, String key) {
            this.file = file;
            this.key = key;
        }
    }

    /** The user's key from keyringFile, else from the keyring(s) ceph.conf names (libcephfs's search list). */
    private static KeyringEntry findKey(AdapterConfig config, List<String> tried) {
        List<String> files = new ArrayList<>();
        if (config.keyringFile() != null) {
            files.add(config.keyringFile());
        } else {
            files.addAll(keyringSearchList(config));
        }
        for (String f : files) {
            tried.add(f);
            String key = keyOf(Path.of(f), "client." + config.user());
            if (key != null) {
                return new KeyringEntry(f, key);
            }
        }
        return null;
    }

    /** libcephfs's value of the {@code keyring} option after reading ceph.conf (metavariables expanded). */
    private static List<String> keyringSearchList(AdapterConfig config) {
        List<String> out = new ArrayList<>();
        try (CephMount m = CephMount.create(config.user())) {
            if (config.configFile() != null) {
                m.readConfigFile(config.configFile());
            }
            for (String p : m.keyringSearchPath().split("[,;]")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no ceph.conf verdict: nothing to search
        }
        return out;
    }

    /** The {@code key = ...} of section {@code [entity]} in a keyring file, or null. Never logs the file. */
    static String keyOf(Path keyring, String entity) {
        List<String> lines;
        try {
            if (!Files.isReadable(keyring)) {
                return null;
            }
            lines = Files.readAllLines(keyring, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        boolean inSection = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.startsWith("[") && line.endsWith("]")) {
                inSection = line.substring(1, line.length() - 1).trim().equals(entity);
                continue;
            }
            if (inSection) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).trim().equals("key")) {
                    String v = line.substring(eq + 1).trim();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return v.isEmpty() ? null : v;
                }
            }
        }
        return null;
    }
}
