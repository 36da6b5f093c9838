package org.cephfsjca.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.ExampleApp;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.libcephfs.CephMount;
import org.cephfsjca.payara.app.LazyPoolProbe;

/**
 * Where GlassFish's pool (Payara) could treat the adapter differently from IronJacamar's, in one boot of a Payara
 * Micro this test starts itself (its log is read by the test): two cephx identities on one pool through a connector
 * security map, pools with lazy connection association and enlistment, and a pooled session evicted by the MDS while
 * the server runs (docs/payara.md, "Container differences").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraPoolDifferencesIT {

    private static final int SLOTS = 8;
    private static final int POOL_MAX = 8;
    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String DIR = "it-payara-pool-" + ID;
    /** The cephx id EDITOR2 is mapped to: read-only on the whole file system. */
    private static final String MAPPED = "jca-pay-" + ID;
    /** The pool's own identity (configure-adapter.sh's default ceph.user). */
    private static final String DEFAULT = "admin";
    private static final ItUsers.User MAPPED_CALLER = ItUsers.EDITOR2;
    private static final String LAZY_POOLS = """
            create-connector-connection-pool --raname cephfs-jca --connectiondefinition org.cephfsjca.api.CephConnectionFactory --transactionsupport NoTransaction --matchconnections true --steadypoolsize 0 --maxpoolsize 4 --lazyconnectionassociation true --lazyconnectionenlistment true ceph-lazy-pool
            create-connector-resource --poolname ceph-lazy-pool ceph/Lazy
            create-connector-connection-pool --raname cephfs-jca --connectiondefinition org.cephfsjca.api.CephConnectionFactory --transactionsupport NoTransaction --matchconnections true --steadypoolsize 0 --maxpoolsize 4 --lazyconnectionassociation true --lazyconnectionenlistment false ceph-lazy-assoc-pool
            create-connector-resource --poolname ceph-lazy-assoc-pool ceph/LazyAssoc
            """;

    private static final String NODE = ItEnv.nodeId("payara-pool");
    private static PayaraProcess server;
    private static Path passwordFile;
    private static String mappedKey;
    private static CephMount observer;

    @BeforeAll
    static void boot() throws Exception {
        observer = Ceph.mount(); // fails here, saying what to do, when the cluster is not there
        Ceph.ceph("fs", "authorize", ItEnv.fsName(), "client." + MAPPED, "/", "r");
        mappedKey = Ceph.ceph("auth", "print-key", "client." + MAPPED).trim();
        Path dir = PayaraEnv.workDir("pool");
        Files.createDirectories(dir);
        passwordFile = dir.resolve("cephx-" + MAPPED + ".pw");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, "AS_ADMIN_MAPPEDPASSWORD=" + mappedKey + "\n", StandardCharsets.UTF_8);
        PayaraConfig config = PayaraConfig.write(dir, port(), NODE, "RESET", SLOTS, POOL_MAX,
                List.of("cephfs.security.map.it-mapped=" + MAPPED_CALLER.name() + ":" + MAPPED + ":" + passwordFile),
                LAZY_POOLS);
        assertFalse(Files.readString(config.postBoot).contains(mappedKey), "the key is not in the boot commands");
        Path war = dir.resolve("pool-test.war");
        ExampleApp.war().addClass(LazyPoolProbe.class).as(ZipExporter.class).exportTo(war.toFile(), true);
        server = PayaraProcess.start(config, "pool", war);
        System.out.printf("[it] payara pool (node %s) booted in %d ms, pid %d%n", NODE, server.bootMillis, server.pid());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
                List<String> left = Ceph.awaitNoSessionsOf(NODE, 30_000);
                assertEquals(List.of(), left, "the server's stop left sessions of node " + NODE + " in the MDS");
                String log = Files.readString(server.log(), StandardCharsets.UTF_8);
                assertFalse(log.contains(mappedKey), "the mapped cephx key is in the server's log " + server.log());
            }
        } finally {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
            }
            Ceph.ceph("auth", "rm", "client." + MAPPED);
            if (observer != null) {
                Ceph.deleteTree(observer, "/documents/" + DIR);
                observer.close();
            }
        }
    }

    private static int port() {
        return PayaraEnv.intProp("it.payara.crash.port");
    }

    private static String api(String path) {
        return "http://127.0.0.1:" + port() + "/cephfs-jca-example/api" + path;
    }

    private static String doc(String name) {
        return api("/documents/" + DIR + "/" + name);
    }

    private static Object status() {
        Http.Resp r = Http.get(api("/status"));
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    /** What the server logged after {@code mark} (a size of the log file, in bytes). */
    private static String logSince(long mark) throws java.io.IOException {
        byte[] all = Files.readAllBytes(server.log());
        int from = (int) Math.min(mark, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** Slot sessions of the node in the MDS, by cephx id. */
    private static String entities() {
        return MdsSessions.slotSessionsOf(NODE).stream().map(s -> s.entity() + "#" + s.id() + "(" + s.uuid() + ")")
                .sorted().collect(Collectors.joining(", "));
    }

    /**
     * One step of the interleaving: the pool's caller writes (its identity may), the mapped caller reads what the
     * pool's identity wrote (it may) and tries to write (its read-only identity may not). Returns what went wrong.
     */
    private static List<String> step(int i, String shared) {
        List<String> wrong = new ArrayList<>();
        if (i % 2 == 0) {
            Http.Resp put = Http.put(doc("pool-" + i + ".txt"), "by the pool's identity " + i);
            if (put.status() != 201) {
                wrong.add(i + ": pool identity's PUT answered " + put);
            }
        } else {
            Http mapped = Http.as(MAPPED_CALLER);
            Http.Resp get = mapped.doGet(shared);
            if (get.status() != 200 || !"written by the pool's identity".equals(get.body())) {
                wrong.add(i + ": mapped identity's GET answered " + get);
            }
            Http.Resp put = mapped.doPut(doc("mapped-" + i + ".txt"), "by the mapped identity " + i);
            if (put.status() != 403 || !"access-denied".equals(put.error())) {
                wrong.add(i + ": mapped identity's PUT answered " + put + " (its cephx id is read-only)");
            }
        }
        return wrong;
    }

    /**
     * A connector security map gives EDITOR2 a cephx identity of its own (read-only), the others keep the pool's:
     * interleaved requests of both, sequential and concurrent, each run as its own identity, never on the other's
     * session. GlassFish passes the map's user and password as the PasswordCredential; matchManagedConnections keeps
     * the two identities' connections apart (the pool has --matchconnections true).
     */
    @Test
    @Order(1)
    void twoCephxIdentitiesOnOnePoolThroughASecurityMap() throws Exception {
        String shared = doc("shared.txt");
        assertEquals(201, Http.put(shared, "written by the pool's identity").status());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            wrong.addAll(step(i, shared));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 40; i < 80; i++) {
                int n = i;
                results.add(pool.submit(() -> step(n, shared)));
            }
            for (Future<List<String>> r : results) {
                wrong.addAll(r.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), wrong, "requests that did not run as their caller's identity");

        List<MdsSessions.Session> sessions = MdsSessions.slotSessionsOf(NODE);
        Set<String> byEntity = sessions.stream().map(MdsSessions.Session::entity).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of(DEFAULT, MAPPED)), byEntity, "slot sessions of the node: " + entities());
        assertEquals(2, sessions.size(), "one session per identity: " + entities());
        Object s = status();
        assertEquals(2L, Json.num(s, "sessions", "slotsInUse"), "one slot per identity: " + s);
        for (int i = 41; i < 80; i += 2) {
            assertFalse(observer.exists(ItEnv.DOCUMENTS + "/" + DIR + "/mapped-" + i + ".txt"),
                    "the read-only identity stored nothing");
        }
        System.out.printf("[it] payara security map: 80 interleaved requests (40 concurrent); sessions %s; status %s%n",
                entities(), Json.at(s, "sessions"));
    }

    /**
     * A pool with --lazyconnectionassociation and --lazyconnectionenlistment true: GlassFish gives the adapter a
     * LazyAssociatableConnectionManager, and at each request's end would dissociate the handles of connections that
     * implement DissociatableManagedConnection. The adapter's do not, so GlassFish turns lazy association off for them
     * (PoolManagerImpl.getResource: ResourceSpec.setLazyAssociatable(false) when the handle does not support it);
     * lazy enlistment is moot without transactions (NoTransaction). The pool works as with both off: connections held
     * at once share the identity's session, and a handle kept past its request stays associated with its connection.
     * Lazy association without lazy enlistment is refused by GlassFish itself: the pool is created, but its first
     * use fails (RAR7106) and the resource's lookup fails.
     */
    @Test
    @Order(2)
    void lazyAssociationWorksAsWithItOffAndWithoutLazyEnlistmentGlassFishRefusesIt() throws Exception {
        String dir = "/documents/" + DIR + "/lazy";
        Http.Resp many = Http.get(api("/lazy/many?jndi=ceph/Lazy&dir=" + dir));
        System.out.printf("[it] payara lazy pool, three connections at once: %s%n", many);
        assertEquals(200, many.status(), many.toString());
        assertEquals(Boolean.TRUE, Json.at(many.json(), "readBack"), many.toString());
        assertEquals(2L, Json.num(many.json(), "slotsInUse"), "no session of its own: the identity's: " + many);
        Http.Resp keep = Http.get(api("/lazy/keep?jndi=ceph/Lazy&dir=" + dir));
        assertEquals(200, keep.status(), keep.toString());
        Http.Resp use = Http.get(api("/lazy/use?dir=" + dir));
        System.out.printf("[it] payara lazy pool, a handle kept past its request: %s%n", use);
        assertEquals(200, use.status(), use.toString());
        assertEquals(Boolean.TRUE, Json.at(use.json(), "had"), use.toString());
        assertEquals(Boolean.FALSE, Json.at(use.json(), "closedBefore"), use.toString());
        assertEquals("kept past its request", Json.str(use.json(), "readBack"), use.toString());
        assertEquals(Boolean.TRUE, Json.at(use.json(), "closedAfter"), use.toString());

        long logMark = Files.size(server.log());
        Http.Resp refused = Http.get(api("/lazy/many?jndi=ceph/LazyAssoc&dir=" + dir + "-assoc"));
        System.out.printf("[it] payara lazy association without lazy enlistment: %s%n", refused);
        assertEquals(200, refused.status(), refused.toString());
        assertTrue(Json.str(refused.json(), "lookupFailed").contains("ceph/LazyAssoc"), refused.toString());
        String since = logSince(logMark);
        assertTrue(since.contains("RAR7106: LazyConnectionEnlistment need to be true for LazyConnectionAssociation to "
                + "work, for pool: ceph-lazy-assoc-pool"), "GlassFish's refusal in the log: " + since);
    }

    /**
     * The MDS evicts (and blocklists) the node's pooled session of the pool's identity while the server runs: the
     * calls on it fail with a fatal errno, the adapter fires CONNECTION_ERROR_OCCURRED, GlassFish destroys the
     * connection, and the next connections get a new session.
     */
    @Test
    @Order(3)
    void anEvictedSessionIsReplaced() throws Exception {
        String url = doc("evict.txt");
        assertEquals(201, Http.put(url, "before the eviction").status());
        List<MdsSessions.Session> victims = MdsSessions.slotSessionsOf(NODE).stream()
                .filter(x -> x.entity().equals(DEFAULT)).toList();
        assertEquals(1, victims.size(), "the pool identity's session: " + entities());
        long logMark = Files.size(server.log());
        Object before = status();
        for (MdsSessions.Session v : victims) {
            MdsSessions.evict(v);
        }
        System.out.printf("[it] payara: evicted %s; status before %s%n", victims, Json.at(before, "sessions"));
        List<String> answers = new ArrayList<>();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        int okInARow = 0;
        int i = 0;
        while (okInARow < 10 && System.nanoTime() < deadline) {
            Http.Resp put = Http.put(doc("after-" + i + ".txt"), "after the eviction " + i);
            Http.Resp get = Http.get(url);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            answers.add(ms + "ms PUT " + put.status() + (put.status() >= 300 ? " " + put.body() : "") + " / GET "
                    + get.status() + (get.status() >= 300 ? " " + get.body() : ""));
            okInARow = put.status() == 201 && get.status() == 200 ? okInARow + 1 : 0;
            i++;
        }
        System.out.printf("[it] payara after the eviction:%n  %s%n", String.join("\n  ", answers));
        assertEquals(10, okInARow, "serving again within 120 s: " + answers);
        List<String> failed = answers.stream().filter(a -> !a.matches("\\d+ms PUT 201 / GET 200")).toList();
        assertTrue(!failed.isEmpty() && failed.size() <= POOL_MAX,
                "the requests on the evicted session fail, at most one per pooled connection: " + answers);
        for (String f : failed) {
            assertTrue(f.contains("PUT 503 {\"error\":\"unavailable\"") || f.contains("GET 503 {\"error\":\"unavailable\""),
                    "a request whose session was evicted is told to retry (503 unavailable, as SessionLossIT on "
                            + "WildFly): " + f);
        }

        Object after = status();
        List<MdsSessions.Session> now = MdsSessions.slotSessionsOf(NODE);
        System.out.printf("[it] payara: sessions after %s; MDS %s%n", Json.at(after, "sessions"), entities());
        assertEquals("serving", Json.str(after, "sessions", "serving"), "a lost data session is no fencing: " + after);
        assertEquals("none", Json.str(after, "sessions", "lastFencing"), after.toString());
        List<MdsSessions.Session> replacements = now.stream().filter(x -> x.entity().equals(DEFAULT)).toList();
        assertEquals(1, replacements.size(), "one new session of the pool's identity: " + entities());
        assertTrue(victims.stream().noneMatch(v -> v.id() == replacements.get(0).id()
                || v.uuid().equals(replacements.get(0).uuid())), "a new session, in another slot: " + entities());
        assertEquals(1, now.stream().filter(x -> x.entity().equals(MAPPED)).count(),
                "the mapped identity's session is untouched: " + entities());
        Http.Resp mapped = Http.as(MAPPED_CALLER).doGet(url);
        assertEquals(200, mapped.status(), "the mapped identity still reads: " + mapped);

        String since = logSince(logMark);
        System.out.printf("[it] payara log after the eviction:%n%s%n", since);
        assertTrue(since.contains("is unusable") && since.contains(victims.get(0).uuid()),
                "the adapter reported the evicted session (and fired CONNECTION_ERROR_OCCURRED): " + since);
        assertFalse(since.contains("SEVERE") || since.lines().anyMatch(l -> l.startsWith("\tat ")),
                "no SEVERE and no stack trace in the server log after the eviction: " + since);
    }
}
