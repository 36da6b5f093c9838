package org.cephfsjca.adapter;

import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.cephfsjca.adapter.session.SessionUuids;
import org.cephfsjca.adapter.session.UuidSecret;
import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.DirEntry;
import org.cephfsjca.api.LockMode;
import org.cephfsjca.libcephfs.CephFile;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.libcephfs.TestCluster;

/**
 * A hostile neighbour: a tenant confined to its own directory by {@code ceph fs authorize} (so it can mount the file
 * system, which is all Ceph 16 asks of a client that resets a session by uuid, EPERM or not) tries every session uuid
 * that the documented scheme and the lease files let it derive. It evicts nothing of the adapter's: 5 s later every
 * session is still listed (same session ids) and every lock is still held.
 *
 * <p>What the tenant is assumed to know, generously: the scheme (README, docs/threat-model.md), the prefix, and all
 * that the lease files hold, path and contents (node ids, host, pid, instance, start time), as if it could read them.
 * What it tries: the plain uuids of versions before secrets ({@code <prefix>-<nodeId>-<slot>}, {@code ...-lease}) for
 * slots 0..63, and the keyed uuids with every lease token, the prefix, the node id, common cephx names, an empty
 * secret and its own cephx key as the key. A positive control proves the attack real: a session with a plain uuid
 * (as an adapter before secrets had) is among the guesses and is evicted.
 */
class TenantUuidGuessingTest {

    private static final int SLOTS = 4;
    private static final int GUESSED_SLOTS = 64;
    private static final long WAIT_AFTER_ATTACK_MILLIS = 5_000;

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aConfinedTenantCannotEvictTheAdaptersSessions() throws Exception {
        String tenant = "jca-tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String home = "/apps/" + tenant;
        String node = Adapters.freshNodeId("victim");
        String decoyNode = Adapters.freshNodeId("decoy");
        String dir = "/jca-tests/guess-" + node;
        CephMount admin = TestCluster.mounted();
        CephResourceAdapter ra = null;
        CephMount decoy = null;
        List<CephLock> locks = new ArrayList<>();
        CephConnection c = null;
        try {
            admin.mkdirs(home, 0755);
            String keyring = TestCluster.ceph("fs", "authorize", TestCluster.fsName(), "client." + tenant, home, "rw");
            Matcher km = Pattern.compile("key\\s*=\\s*(\\S+)").matcher(keyring);
            assertTrue(km.find(), keyring);
            String tenantKey = km.group(1);

            ra = Adapters.started(node, SLOTS, null);
            c = Adapters.factory(ra).getConnection();
            c.mkdirs(dir);
            for (int i = 0; i < 3; i++) {
                String p = dir + "/locked-" + i;
                c.write(p, ("held " + i).getBytes(StandardCharsets.UTF_8));
                locks.add(c.tryLock(p, LockMode.EXCLUSIVE).orElseThrow());
            }
            SessionUuids real = Adapters.uuids(node);
            List<String> ours = List.of(real.of(0), real.lease());
            Map<String, Long> before = TestCluster.sessionIdsByUuid();
            for (String u : ours) {
                assertTrue(before.containsKey(u), "adapter session " + u + " listed: " + before.keySet());
            }
            // positive control: what an adapter before secrets left, a plain uuid anyone can compute
            @SuppressWarnings("deprecation")
            String decoyUuid = new SessionUuids("cephfs-jca", decoyNode).of(0);
            decoy = TestCluster.mounted(decoyUuid);

            // everything the lease files let a reader derive (path and contents of every node's lease)
            Set<String> tokens = new LinkedHashSet<>(List.of("cephfs-jca", "admin", "client.admin", "ceph", "cephfs",
                    "", tenant, "client." + tenant, decoyNode));
            List<String> nodes = new ArrayList<>(List.of(decoyNode));
            for (DirEntry e : admin.list("/.cephfs-jca")) { // every node id is readable from the lease paths
                if (e.name().equals("cephfs-jca-" + node)) {
                    nodes.add(node);
                    tokens.add(node);
                    tokens.add(e.name());
                }
            }
            String text = readLease(admin, "/.cephfs-jca/cephfs-jca-" + node + "/lease"); // and its contents
            assertTrue(text.contains("state=running"), text);
            tokens.add(text.trim());
            for (String field : text.trim().split("\\s+")) {
                tokens.add(field);
                int eq = field.indexOf('=');
                if (eq > 0) {
                    tokens.add(field.substring(eq + 1));
                }
            }
            assertTrue(nodes.contains(node), "the victim's lease directory is among those read: " + nodes);
            Set<String> guesses = new LinkedHashSet<>();
            for (String n : List.of(node, decoyNode)) {
                for (int slot = 0; slot < GUESSED_SLOTS; slot++) {
                    guesses.add("cephfs-jca-" + n + "-" + slot); // the documented plain scheme of older versions
                }
                guesses.add("cephfs-jca-" + n + "-lease");
                SessionUuids ownKey = new SessionUuids("cephfs-jca", n, UuidSecret.fromCephxKey(tenantKey, "tenant"));
                addScheme(guesses, ownKey::of, ownKey.lease()); // what the tenant's own key gives
                for (String t : tokens) { // the keyed scheme with every token of the lease files as the key
                    byte[] key = t.isEmpty() ? new byte[1] : t.getBytes(StandardCharsets.UTF_8);
                    addScheme(guesses, slot -> keyed(key, n, Integer.toString(slot)), keyed(key, n, "lease"));
                }
            }
            assertFalse(guesses.contains(real.of(0)) || guesses.contains(real.lease()), "no guess is right");

            long t0 = System.nanoTime();
            AtomicInteger notFound = new AtomicInteger();
            AtomicInteger denied = new AtomicInteger();
            AtomicInteger reset = new AtomicInteger();
            List<String> other = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> fs = new ArrayList<>();
            for (String g : guesses) {
                fs.add(pool.submit(() -> {
                    try (CephMount m = CephMount.create(tenant)) {
                        m.readConfigFile(TestCluster.conf());
                        m.setOption("key", tenantKey);
                        m.init();
                        if (m.resetSession(g)) {
                            reset.incrementAndGet();
                        } else {
                            notFound.incrementAndGet();
                        }
                    } catch (java.nio.file.AccessDeniedException e) {
                        denied.incrementAndGet(); // EPERM: the session existed, and 16.2.15 evicts it anyway
                    } catch (Exception e) {
                        other.add(g + ": " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long attackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("tenant guessing: %d uuids tried in %d ms from %d lease tokens and %d node ids: %d not "
                            + "found, %d EPERM, %d reset, %d other%n", guesses.size(), attackMillis, tokens.size(),
                    nodes.size(), notFound.get(), denied.get(), reset.get(), other.size());
            assertTrue(other.isEmpty(), other.toString());

            Thread.sleep(WAIT_AFTER_ATTACK_MILLIS);
            Map<String, Long> after = TestCluster.sessionIdsByUuid();
            for (String u : ours) {
                assertEquals(before.get(u), after.get(u), "adapter session " + u + " still listed, same session, "
                        + WAIT_AFTER_ATTACK_MILLIS + " ms after the attack");
            }
            assertFalse(after.containsKey(decoyUuid), "control: the plain-uuid session was evicted by the tenant");
            assertEquals(1, denied.get(), "only the control's uuid named a session (EPERM-and-evict)");
            for (int i = 0; i < 3; i++) {
                try (CephFile f = admin.open(dir + "/locked-" + i, O_RDWR, 0)) {
                    assertFalse(f.lock(LockMode.EXCLUSIVE, false, 4242), "lock " + i + " still held by the adapter");
                }
                assertArrayEquals(("held " + i).getBytes(StandardCharsets.UTF_8), c.readAllBytes(dir + "/locked-" + i));
            }
            for (CephLock l : locks) {
                assertTrue(l.isValid(), "the adapter's lock is still valid: " + l);
                l.close(); // released without error: the session is alive
            }
            locks.clear();
        } finally {
            for (CephLock l : locks) {
                l.close();
            }
            if (c != null) {
                try {
                    c.deleteRecursively(dir);
                } catch (Exception ignored) {
                    // cleanup
                }
                c.close();
            }
            if (ra != null) {
                ra.stop();
            }
            if (decoy != null) {
                decoy.close();
            }
            try {
                TestCluster.ceph("auth", "del", "client." + tenant);
            } catch (Throwable ignored) {
                // cleanup
            }
            TestCluster.deleteTree(admin, home);
            admin.close();
        }
    }

    private static void addScheme(Set<String> out, java.util.function.IntFunction<String> slotUuid, String lease) {
        for (int slot = 0; slot < SLOTS + 12; slot++) {
            out.add(slotUuid.apply(slot));
        }
        out.add(lease);
    }

    /** The documented keyed uuid with {@code key} as the HMAC key. */
    private static String keyed(byte[] key, String node, String what) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(("cephfs-jca|" + node + "|" + what).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < SessionUuids.HASH_HEX_DIGITS / 2; i++) {
                sb.append(String.format("%02x", h[i] & 0xff));
            }
            return "cephfs-jca-" + node + ("lease".equals(what) ? "-lease-" : "-") + sb;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readLease(CephMount m, String path) {
        try (CephFile f = m.open(path, org.cephfsjca.libcephfs.OpenFlags.O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(512);
            int n = f.read(b, 0);
            return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII);
        } catch (Exception e) {
            return "";
        }
    }
}
