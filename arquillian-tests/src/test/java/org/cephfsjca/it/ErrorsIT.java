package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Errors: every one is JSON with a stable {@code error} code; malformed percent-encoding is a 400
 * {@code bad-encoding}; a path below a document is 409 {@code not-a-directory} for PUT and 404 for GET; no message
 * shows a CephFS path or a libcephfs call; and none of these requests writes a stack trace (or a WARN) to server.log.
 */
class ErrorsIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("errors");
    private static final List<Http.Resp> SEEN = new ArrayList<>();

    private static Http.Resp seen(Http.Resp r) {
        synchronized (SEEN) {
            SEEN.add(r);
        }
        return r;
    }

    @Test
    void malformedPercentEncodingIsA400InJsonWithoutLogging() {
        ServerLog log = ServerLog.mark();
        for (String bad : List.of("%", "%zz", "%C0%AE", "%FF%FE", "a%2", "%ED%A0%80")) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                Http.Resp r = seen(RawHttp.send(method, "/documents/" + DIR.dir() + "/" + bad, ItUsers.EDITOR));
                assertEquals(400, r.status(), method + " " + bad + " -> " + r);
                assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers().toString());
                assertEquals("bad-encoding", r.error(), method + " " + bad + " -> " + r);
            }
        }
        assertEquals(List.of(), log.stackTraceLines(), "no stack trace in server.log");
        assertEquals(List.of(), log.warnings(), "no WARN in server.log");
    }

    @Test
    void aPathBelowADocumentIs409ForPutAnd404ForGet() {
        assertEquals(201, Http.put(DIR.url("doc1.txt"), "a document").status());
        ServerLog log = ServerLog.mark();
        Http.Resp put = seen(Http.put(DIR.url("doc1.txt/child"), "x"));
        assertEquals(409, put.status(), put.toString());
        assertEquals("not-a-directory", put.error());
        Http.Resp deeper = seen(Http.put(DIR.url("doc1.txt/a/b/c"), "x"));
        assertEquals(409, deeper.status(), deeper.toString());
        assertEquals("not-a-directory", deeper.error());
        for (Http.Resp r : List.of(Http.get(DIR.url("doc1.txt/child")), Http.delete(DIR.url("doc1.txt/child")),
                Http.post(DIR.url("doc1.txt/child") + "/checkout"), Http.get(DIR.url("doc1.txt/a/b")))) {
            seen(r);
            assertEquals(404, r.status(), r.toString());
            assertEquals("not-found", r.error(), r.toString());
        }
        assertEquals("a document", Http.get(DIR.url("doc1.txt")).body(), "the document is untouched");
        // a folder is not a document either way
        assertEquals(201, Http.put(DIR.url("folder/inner.txt"), "x").status());
        Http.Resp overFolder = seen(Http.put(DIR.url("folder"), "x"));
        assertEquals(409, overFolder.status(), overFolder.toString());
        assertEquals("not-a-document", overFolder.error());
        assertEquals(List.of(), log.stackTraceLines(), "no stack trace in server.log");
        assertEquals(List.of(), log.warnings(), "no WARN in server.log");
    }

    @Test
    void whatTheContainerAnswersIsJsonToo() {
        Http.Resp unknown = seen(Http.get("/nothing-here"));
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("not-found", unknown.error());
        Http.Resp patch = seen(Http.as(ItUsers.EDITOR).doMethod("PATCH", DIR.url("doc.txt")));
        assertEquals(405, patch.status(), patch.toString());
        assertEquals("method-not-allowed", patch.error());
        Http.Resp missing = seen(Http.get(DIR.url("never-written.txt")));
        assertEquals(404, missing.status());
        assertEquals("not-found", missing.error());
        Http.Resp notOut = seen(Http.post(DIR.url("never-written.txt") + "/checkin"));
        assertEquals(409, notOut.status());
        assertEquals("not-checked-out", notOut.error());
        Http.Resp badName = seen(Http.put("/documents/.hidden", "x"));
        assertEquals("bad-name", badName.error());
    }

    /** Runs last by name order is not guaranteed: it checks the responses collected so far, and its own. */
    @Test
    void noMessageShowsACephPathOrCall() {
        seen(Http.get(DIR.url("absent/deeper/doc.txt")));
        seen(Http.put(DIR.url("doc2.txt"), "x"));
        seen(Http.put(DIR.url("doc2.txt/under"), "x"));
        seen(Http.get(DIR.url("doc2.txt/under")));
        List<Http.Resp> all;
        synchronized (SEEN) {
            all = new ArrayList<>(SEEN);
        }
        for (Http.Resp r : all) {
            if (r.status() >= 400) {
                assertTrue(r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json"),
                        "JSON: " + r + " " + r.headers());
                String message = Json.str(r.json(), "message");
                assertFalse(message.contains(ItEnv.DOCUMENTS + "/"), "a CephFS path in: " + r);
                assertFalse(message.contains("ceph_"), "a libcephfs call in: " + r);
                assertFalse(message.contains("IJ0"), "an IronJacamar message in: " + r);
                assertFalse(message.contains(".locks"), "a lock file in: " + r);
            }
        }
    }
}
