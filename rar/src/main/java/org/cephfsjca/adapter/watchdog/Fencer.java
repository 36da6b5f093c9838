package org.cephfsjca.adapter.watchdog;

import java.io.IOException;
import java.nio.file.FileSystemException;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.session.Identity;
import org.cephfsjca.api.Errno;
import org.cephfsjca.adapter.session.RadosConnections;
import org.cephfsjca.libcephfs.RadosAdmin;

/**
 * Blocklists clients of this adapter through the monitors ({@code osd blocklist add}), as the adapter's own cephx user.
 * A blocklisted client fails every call it has waiting (EBLOCKLISTED) once it sees the OSD map that blocklists it,
 * and it can never act on the file system again: that is what makes it safe to give up on a call that hangs.
 *
 * <p>The permission is checked at start with a command that changes nothing: {@code osd blocklist add} of an address
 * that does not parse. The monitors check caps before arguments, so {@code EACCES} means the cap is missing and
 * {@code EINVAL} means it is there (measured on 16.2.15, with {@code allow command "osd blocklist"} and with
 * {@code ... with blocklistop=add}).
 */
final class Fencer implements AutoCloseable {

    /** The command the adapter needs, as a mon cap grant that allows nothing more. */
    static final String MON_CAP = "allow command \"osd blocklist\" with blocklistop=add";
    private static final String PROBE = "{\"prefix\":\"osd blocklist\",\"blocklistop\":\"add\",\"addr\":"
            + "\"cephfs-jca-permission-probe\"}";
    /** Monitor commands give up after this (a fence during a monitor outage cannot succeed anyway). */
    private static final int MON_OP_TIMEOUT_SECONDS = 10;

    private final RadosAdmin rados;
    private final int expireSeconds;
    private final String user;

    private Fencer(RadosAdmin rados, String user, int expireSeconds) {
        this.rados = rados;
        this.user = user;
        this.expireSeconds = expireSeconds;
    }

    /** Connects as the adapter's configured user and checks that it may blocklist. */
    static Fencer connect(AdapterConfig config, Identity identity, int expireSeconds) throws IOException {
        RadosAdmin r;
        try {
            r = RadosConnections.connect(config, identity, config.mountTimeoutSeconds(), MON_OP_TIMEOUT_SECONDS, 0);
        } catch (UnsatisfiedLinkError e) {
            throw new FencingUnavailableException("operationTimeoutSeconds needs librados (librados.so.2, Debian "
                    + "package librados2, a dependency of libcephfs2) to fence sessions: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new FencingUnavailableException("operationTimeoutSeconds=" + config.operationTimeoutSeconds()
                    + ": cannot reach the monitors as client." + identity.user() + " to check that it may blocklist "
                    + "clients: " + e.getMessage(), e);
        }
        try {
            Fencer f = new Fencer(r, identity.user(), expireSeconds);
            f.checkPermission(config);
            return f;
        } catch (IOException | RuntimeException e) {
            r.close();
            if (e instanceof FencingUnavailableException) {
                throw e;
            }
            throw new FencingUnavailableException("operationTimeoutSeconds=" + config.operationTimeoutSeconds()
                    + ": cannot reach the monitors as client." + identity.user() + " to check that it may blocklist "
                    + "clients: " + e.getMessage(), e);
        }
    }

    private void checkPermission(AdapterConfig config) throws FencingUnavailableException {
        RadosAdmin.MonReply reply = rados.monCommand(PROBE);
        if (reply.rc == -Errno.EINVAL.code()) {
            return; // allowed: the address was refused only after the cap check
        }
        if (reply.rc == -Errno.EACCES.code() || reply.rc == -Errno.EPERM.code()) {
            // a cap restricted to addresses (... addr regex "^<ip>:") refuses an address that does not match before it
            // looks at it: try a real entry for an address of this host that no client has, gone after a second
            String ip = ownIp();
            if (ip != null) {
                String unused = ip + ":0/" + (1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 30));
                RadosAdmin.MonReply real = rados.monCommand("{\"prefix\":\"osd blocklist\",\"blocklistop\":\"add\","
                        + "\"addr\":\"" + unused + "\",\"expire\":1.0}");
                if (real.rc == 0) {
                    return;
                }
            }
            throw new FencingUnavailableException("operationTimeoutSeconds=" + config.operationTimeoutSeconds()
                    + " needs the cephx user client." + user + " to be allowed to blocklist clients (that is how the "
                    + "adapter fences a session whose calls hang), and the monitors refused it (" + reply.status
                    + "): add the mon cap '" + MON_CAP + "' to client." + user + " (ceph auth caps replaces all its "
                    + "caps: repeat the others; docs/threat-model.md shows one restricted to this host's address), or "
                    + "set operationTimeoutSeconds=0", null);
        }
        throw new FencingUnavailableException("operationTimeoutSeconds=" + config.operationTimeoutSeconds()
                + ": could not check whether client." + user + " may blocklist clients: the monitors answered "
                + Errno.of(reply.rc) + " (" + reply.status + ")", null);
    }

    /** This host's address as the cluster sees it (from the rados handle's own address), or null. */
    private String ownIp() {
        for (String a : rados.addresses()) {
            int colon = a.lastIndexOf(':', a.indexOf('/') < 0 ? a.length() : a.indexOf('/'));
            if (colon > 0) {
                return a.substring(0, colon);
            }
        }
        return null;
    }

    /** Blocklists {@code address} (ip:port/nonce). */
    void blocklist(String address) throws FileSystemException {
        rados.blocklist(address, expireSeconds);
    }

    int expireSeconds() {
        return expireSeconds;
    }

    @Override
    public void close() {
        rados.close();
    }
}
