package org.cephfsjca.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.cephfsjca.it.AdapterSetup;
import org.cephfsjca.it.Await;
import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.PatternStream;
import org.cephfsjca.it.ServerLog;
import org.cephfsjca.it.SlowUploads;
import org.cephfsjca.libcephfs.CephMount;

/**
 * A request whose CephFS session is taken from under it (reset from outside, as a peer's takeover of a paused node
 * or an operator's eviction does) is answered 503 {@code unavailable} with a Retry-After, not 500: nothing was
 * stored, and the pool replaces the session, so the client's retry succeeds. Found by putting a takeover peer next
 * to PoolExhaustionIT and pausing the server (issue 11): its uploads answered 500 {@code storage-error (ESHUTDOWN)}.
 */
class SessionLossIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("session-loss");
    private static final long SIZE = 256 * 1024;

    @Test
    void anUploadWhoseSessionIsResetIsA503AndTheRetrySucceeds() throws Exception {
        Http user = Http.as(ItUsers.EDITOR);
        assertEquals(201, user.doPut(DIR.url("before.txt"), "before").status());
        ServerLog log = ServerLog.mark();
        SlowUploads slow = SlowUploads.start(user, DIR, 1, 4242, SIZE);
        try {
            Await.until("the slow upload is in the server", Duration.ofSeconds(60), () -> user.doGet("/status"),
                    r -> Json.num(r.json(), "limits", "uploads", "inUse") == 1);
            String uuid = ItEnv.uuid(AdapterSetup.nodeId(), 0);
            try (CephMount m = Ceph.initialized()) {
                assertTrue(m.resetSession(uuid), "the server's session " + uuid + " was there to reset");
            }
        } finally {
            slow.release();
        }
        Http.Resp lost = slow.answer(0);
        System.out.println("[it] the upload whose session was reset: " + lost);
        assertEquals(503, lost.status(), lost.toString());
        assertEquals("unavailable", lost.error(), lost.toString());
        assertTrue(Integer.parseInt(lost.header("Retry-After")) >= 1, lost.headers().toString());

        // the retry, as a client honouring Retry-After makes it: served on a fresh session
        Http.Resp retried = Await.until("the retried upload is stored", Duration.ofSeconds(120),
                () -> user.doPutStream(slow.url(0), () -> new PatternStream(4242, SIZE), SIZE),
                r -> r.status() / 100 == 2);
        assertEquals(PatternStream.sha256(4242, SIZE), Json.str(retried.json(), "sha256"));
        assertEquals("before", user.doGet(DIR.url("before.txt")).body(), "what was stored before is intact");
        List<String> stacks = log.stackTraceLines();
        assertEquals(List.of(), stacks, "no stack trace in server.log");
    }
}
