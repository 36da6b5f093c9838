package org.cephfsjca.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.as.arquillian.api.ServerSetup;
import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Await;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.Mgmt;
import org.cephfsjca.it.ServerLog;
import org.cephfsjca.it.SlowUploads;
import org.cephfsjca.it.Threads;

/**
 * With the upload bulkhead opened wider than the pool (misconfigured on purpose, {@link WideOpenSetup}), slow
 * uploads take every pooled connection: requests then get 503 {@code unavailable} as JSON with a Retry-After, whose
 * message names no IronJacamar or CephFS internals, and server.log gets no stack trace: at most one WARNING line
 * with a count per 10 s.
 */
@ServerSetup(WideOpenSetup.class)
class PoolExhaustionIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("exhaust");
    private static final ExecutorService POOL = Threads.daemons("exhaust-it");

    @Test
    void anExhaustedPoolIsA503WithoutStackTraces() throws Exception {
        Http user = Http.as(ItUsers.EDITOR);
        assertEquals((long) WideOpenSetup.UPLOADS, Json.num(user.doGet("/status").json(), "limits", "uploads", "max"));
        int slowCount = AdapterSetup.POOL_MAX;
        ServerLog log = ServerLog.mark();
        List<Http.Resp> refused = new ArrayList<>();
        SlowUploads slow = SlowUploads.start(user, DIR, slowCount, 500, 256 * 1024);
        try (Mgmt mgmt = Mgmt.connect()) {
            long inUse;
            try {
                inUse = Await.until("the slow uploads hold the pool", Duration.ofSeconds(60),
                        () -> mgmt.poolStatistics().get("InUseCount"), n -> n >= slowCount);
            } catch (AssertionError e) {
                // a peer's takeover or a fencing of this node would end uploads early: say whether one happened
                Object sessions = Json.parse(user.doGet("/status").body()) instanceof java.util.Map<?, ?> m
                        ? m.get("sessions") : null;
                List<String> fencing = log.lines().stream()
                        .filter(l -> l.matches("(?i).*(fenc|took over|taken over|evict|blocklist).*")).toList();
                throw new AssertionError(e.getMessage() + "; the uploads: " + slow.states()
                        + "; pool: " + mgmt.poolStatistics() + "; the adapter's sessions: " + sessions
                        + "; server.log lines on fencing or takeover since the start: " + fencing, e);
            }
            assertEquals((long) slowCount, inUse, "the slow uploads hold the pool");
            List<Future<Http.Resp>> more = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String url = DIR.url("more-" + i + ".txt");
                more.add(POOL.submit(() -> user.doPut(url, "x")));
            }
            more.add(POOL.submit(() -> user.doGet("/documents")));
            for (Future<Http.Resp> f : more) {
                refused.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            slow.release();
        }
        for (Http.Resp r : refused) {
            assertEquals(503, r.status(), r.toString());
            assertEquals("unavailable", r.error(), r.toString());
            assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r.headers().toString());
            String message = Json.str(r.json(), "message");
            assertFalse(message.contains("IJ0") || message.contains("java:/") || message.contains("/documents"),
                    "no internals in: " + message);
        }
        for (int i = 0; i < slow.count(); i++) {
            Http.Resp r = slow.answer(i);
            assertEquals(201, r.status(), r.toString());
        }
        List<String> stacks = log.stackTraceLines();
        List<String> warnings = log.warnings();
        System.out.printf("[it] pool exhausted: %d requests answered 503; server.log since: %d WARNING lines, %d stack"
                + " trace lines: %s%n", refused.size(), warnings.size(), stacks.size(), warnings);
        assertEquals(List.of(), stacks, "no stack trace in server.log");
        assertTrue(warnings.size() <= 2, "at most a WARNING line or two with a count: " + warnings);
        assertTrue(warnings.stream().allMatch(w -> w.contains("answered 503 unavailable")), warnings.toString());
    }
}
