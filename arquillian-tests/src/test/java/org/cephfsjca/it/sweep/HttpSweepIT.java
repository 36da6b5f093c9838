package org.cephfsjca.it.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.RawHttp;
import org.cephfsjca.it.ServerLog;
import org.cephfsjca.it.sweep.DocumentModel.Expect;
import org.cephfsjca.it.sweep.SweepClient.Answer;
import org.cephfsjca.it.sweep.SweepClient.NoAnswer;

/**
 * The bad-input sweep through the example app's HTTP API (issue 13; the public-API sweep is rar's
 * RandomizedApiTest): seeded random requests, one at a time, over valid names (NFC and NFD, documents and folders
 * colliding), names the app must refuse, malformed percent-encoding, every method and role, anonymous and wrong
 * passwords, random body sizes, check-outs, check-ins with and without content, breaks, listings, and uploads the
 * client abandons mid-body. A model ({@link DocumentModel}) predicts every status and error code and every
 * document's content. Fails on: any answer other than the predicted one, any 5xx, a wrong content or listing, an
 * error that is not JSON with a documented code or that shows a CephFS path or a libcephfs/IronJacamar name, no
 * answer within {@link SweepClient#BOUND} (a hang), or a stack trace or WARN in server.log.
 *
 * <p>{@code -Dit.sweep.seed=N} reproduces a run (the seed is printed); {@code -Dit.sweep.ops=N} runs longer
 * ({@code scripts/fuzz-http.sh}).
 */
class HttpSweepIT extends ExampleAppClient {

    private static final long SEED = Long.getLong("it.sweep.seed", System.nanoTime());
    private static final int OPS = Integer.getInteger("it.sweep.ops", 1500);
    private static final int CHECKOUTS_PER_USER = 20; // Limits' default
    private static final int MAX_FAILURES = 20;
    private static final int[] SIZES = {0, 1, 100, 4096, 65_537, 262_147};
    private static final Set<String> CODES = Set.of("bad-name", "bad-encoding", "incomplete-upload", "bad-request",
            "unauthorized", "forbidden", "not-owner", "access-denied", "not-found", "method-not-allowed", "locked",
            "not-checked-out", "lock-lost", "not-a-directory", "not-a-document", "too-many-checkouts");
    /** What no client may see in a message: CephFS internals, libcephfs calls, IronJacamar codes. */
    private static final List<String> LEAKS = List.of("ceph_", "IJ0", "/.locks", ".upload-", "/documents/it-",
            "Exception", "\tat ");
    private static final ItUsers.User WRONG_PASSWORD = new ItUsers.User(ItUsers.EDITOR.name(), "not-the-password",
            "editor");
    private static final DocDir DIR = DocDir.create("sweep");

    private final Random rnd = new Random(SEED);
    private final DocumentModel model = new DocumentModel();
    private final List<String> failures = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private SweepNames names;
    private int op;

    @Test
    void randomRequestsGetExactlyTheAnswersTheModelPredicts() throws Exception {
        System.out.println("[it] SWEEP seed " + SEED + " (rerun with -Dit.sweep.seed=" + SEED + "), " + OPS + " requests");
        names = new SweepNames(DIR.dir());
        DIR.name("a.txt"); // registers the folder for clean-up
        ServerLog log = ServerLog.mark();
        long t0 = System.nanoTime();
        for (op = 0; op < OPS && failures.size() < MAX_FAILURES; op++) {
            step();
        }
        // end: release every check-out, then the whole state must be what the model says
        for (String name : List.copyOf(model.checkouts().keySet())) {
            expect("DELETE", checkoutPath(name), ItUsers.ADMIN, null, Expect.ok(200));
            model.released(name);
        }
        checkListing();
        for (String name : model.documents().keySet()) {
            checkDownload(name);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[it] SWEEP %d requests in %.1f s; statuses %s; %d documents at the end%n", op, seconds,
                statuses, model.documents().size());
        failures.addAll(prefixed("server.log stack trace: ", log.stackTraceLines()));
        failures.addAll(prefixed("server.log warning: ", log.warnings()));
        failures.forEach(f -> System.out.println("[it] SWEEP FAILED " + f));
        assertEquals(List.of(), failures, "it.sweep.seed=" + SEED);
    }

    /** One random request, its answer checked against the model. */
    private void step() throws Exception {
        int kind = rnd.nextInt(100);
        if (kind < 25) {
            put(names.valid(rnd), editorOrOther());
        } else if (kind < 45) {
            get(names.valid(rnd), anyUser());
        } else if (kind < 50) {
            head(names.valid(rnd), anyUser());
        } else if (kind < 58) {
            delete(names.valid(rnd), editorOrOther());
        } else if (kind < 68) {
            checkout(names.valid(rnd), editorOrOther());
        } else if (kind < 75) {
            release(names.valid(rnd), editorOrOther(), rnd.nextBoolean() ? "checkin" : "break");
        } else if (kind < 79) {
            checkListing();
        } else if (kind < 87) {
            badName(names.bad(rnd));
        } else if (kind < 91) {
            badEncoding(names.badEncodingPath(rnd));
        } else if (kind < 94) {
            abandonedUpload(names.valid(rnd));
        } else {
            unauthenticated(names.valid(rnd));
        }
    }

    // ------------------------------------------------------------------ requests on valid names

    private void put(String raw, ItUsers.User u) throws Exception {
        String name = SweepNames.nfc(raw);
        byte[] body = randomBody();
        Expect e = denied(u, true);
        e = e != null ? e : model.put(name);
        Answer a = expect("PUT", SweepNames.apiPath(raw), u, body, e);
        if (a != null && a.status() / 100 == 2) {
            model.stored(name, body);
            String sha = Json.str(Json.parse(a.text()), "sha256");
            if (sha != null && !sha.equals(sha256(body))) {
                fail("PUT " + raw + ": answered sha256 " + sha + ", the body's is " + sha256(body));
            }
        }
    }

    private void get(String raw, ItUsers.User u) throws Exception {
        String name = SweepNames.nfc(raw);
        Expect e = denied(u, false);
        e = e != null ? e : model.get(name);
        Answer a = expect("GET", SweepNames.apiPath(raw), u, null, e);
        if (a != null && a.status() == 200 && !DocumentModel.same(model.content(name), a.body())) {
            fail("GET " + raw + ": WRONG CONTENT: " + a.body().length + " bytes, sha256 " + sha256(a.body())
                    + "; stored " + model.content(name).length + " bytes, sha256 " + sha256(model.content(name)));
        }
    }

    private void head(String raw, ItUsers.User u) throws Exception {
        String name = SweepNames.nfc(raw);
        Expect e = denied(u, false);
        e = e != null ? e : model.get(name);
        Answer a = expect("HEAD", SweepNames.apiPath(raw), u, null, new Expect(e.status(), null));
        if (a != null && a.status() == 200) {
            String len = a.header("Content-Length");
            if (len == null || Long.parseLong(len) != model.content(name).length) {
                fail("HEAD " + raw + ": Content-Length " + len + ", stored " + model.content(name).length);
            }
        }
    }

    private void delete(String raw, ItUsers.User u) throws Exception {
        String name = SweepNames.nfc(raw);
        Expect e = denied(u, true);
        e = e != null ? e : model.delete(name);
        Answer a = expect("DELETE", SweepNames.apiPath(raw), u, null, e);
        if (a != null && a.status() == 204) {
            model.deleted(name);
        }
    }

    private void checkout(String raw, ItUsers.User u) throws Exception {
        String name = SweepNames.nfc(raw);
        Expect e = denied(u, true);
        e = e != null ? e : model.checkout(name, u.name(), CHECKOUTS_PER_USER);
        Answer a = expect("POST", SweepNames.apiPath(raw) + "/checkout", u, new byte[0], e);
        if (a != null && a.status() == 200) {
            model.checkedOut(name, u.name());
        }
    }

    /** A check-in (with new content half of the time) or a break of the check-out. */
    private void release(String raw, ItUsers.User u, String how) throws Exception {
        String name = SweepNames.nfc(raw);
        byte[] content = how.equals("checkin") && rnd.nextBoolean() ? randomBody() : new byte[0];
        Expect e = denied(u, true);
        e = e != null ? e : model.release(name, u.name(), u == ItUsers.ADMIN);
        Answer a = how.equals("checkin")
                ? expect("POST", SweepNames.apiPath(raw) + "/checkin", u, content, e)
                : expect("DELETE", SweepNames.apiPath(raw) + "/checkout", u, null, e);
        if (a != null && a.status() == 200) {
            if (content.length > 0) {
                model.stored(name, content);
            }
            model.released(name);
        }
    }

    /** The listing shows exactly the model's documents of the sweep's folder, with their sizes and check-outs. */
    private void checkListing() throws Exception {
        Answer a = expect("GET", "/documents", anyReader(), null, Expect.ok(200));
        if (a == null || a.status() != 200) {
            return;
        }
        Map<String, String> shown = new TreeMap<>();
        for (Object entry : (List<?>) Json.parse(a.text())) {
            Map<?, ?> m = (Map<?, ?>) entry;
            String n = (String) m.get("name");
            if (n.startsWith(DIR.dir() + "/")) {
                shown.put(n, m.get("size") + (Boolean.TRUE.equals(m.get("checkedOut")) ? " out" : ""));
            }
        }
        Map<String, String> want = new TreeMap<>();
        model.documents().forEach((n, c) -> want.put(n, c.length + (model.checkouts().containsKey(n) ? " out" : "")));
        if (!want.equals(shown)) {
            fail("listing: " + shown + ", the model holds " + want);
        }
    }

    private void checkDownload(String name) throws Exception {
        get(name, ItUsers.READER);
    }

    // ------------------------------------------------------------------ requests that must be refused

    /** Every method on a refused name is 400 bad-name (after sign-in and role checks). */
    private void badName(String name) throws Exception {
        String path = SweepNames.apiPath(name);
        switch (rnd.nextInt(5)) {
            case 0 -> expect("PUT", path, ItUsers.EDITOR, randomBody(), new Expect(400, "bad-name"));
            case 1 -> expect("GET", path, ItUsers.READER, null, new Expect(400, "bad-name"));
            case 2 -> expect("DELETE", path, ItUsers.EDITOR, null, new Expect(400, "bad-name"));
            case 3 -> expect("POST", path + "/checkout", ItUsers.EDITOR, new byte[0], new Expect(400, "bad-name"));
            default -> expect("POST", path + "/checkin", ItUsers.ADMIN, new byte[0], new Expect(400, "bad-name"));
        }
    }

    private void badEncoding(String rawPath) {
        String method = List.of("GET", "PUT", "DELETE").get(rnd.nextInt(3));
        Http.Resp r = RawHttp.send(method, rawPath, ItUsers.EDITOR);
        count(r.status());
        checkError(method + " " + rawPath, r.status(), r.header("Content-Type"), r.body(), true);
        if (r.status() != 400 || !"bad-encoding".equals(errorOf(r.body()))) {
            fail(method + " " + rawPath + " (raw) -> " + r + ", expected 400 bad-encoding");
        }
    }

    /** An upload the client gives up mid-body stores nothing: the model does not change. */
    private void abandonedUpload(String raw) throws Exception {
        String name = SweepNames.nfc(raw);
        int size = 16_384 + rnd.nextInt(65_536);
        long before = uploadsFinished();
        SweepClient.abortedUpload(SweepNames.apiPath(raw), ItUsers.EDITOR, size, rnd.nextInt(size));
        awaitUploadFinished(before);
    }

    private void unauthenticated(String raw) throws Exception {
        ItUsers.User u = rnd.nextBoolean() ? null : WRONG_PASSWORD;
        String method = List.of("GET", "PUT", "DELETE", "HEAD").get(rnd.nextInt(4));
        expect(method, SweepNames.apiPath(raw), u, method.equals("PUT") ? randomBody() : null,
                new Expect(401, method.equals("HEAD") ? null : "unauthorized"));
    }

    // ------------------------------------------------------------------ checking answers

    /** The sign-in and role answer for {@code u}, or null when the request reaches the app. */
    private static Expect denied(ItUsers.User u, boolean writes) {
        if (u == null || u == WRONG_PASSWORD) {
            return new Expect(401, "unauthorized");
        }
        if (writes && u == ItUsers.READER) {
            return new Expect(403, "forbidden");
        }
        return null;
    }

    /** Sends, then checks status, error code and the error body's form; returns the answer (null: no answer). */
    private Answer expect(String method, String path, ItUsers.User u, byte[] body, Expect e) throws Exception {
        Answer a;
        try {
            a = SweepClient.send(method, path, u, body);
        } catch (NoAnswer no) {
            fail(method + " " + path + " as " + u + ": " + no.getMessage());
            return null;
        }
        count(a.status());
        String what = method + " " + path + " as " + (u == null ? "anonymous" : u.name());
        if (a.status() != e.status() || (e.error() != null && !e.error().equals(a.error()))) {
            fail(what + " -> " + a + ", expected " + e);
        }
        if (!method.equals("HEAD")) {
            checkError(what, a.status(), a.header("Content-Type"), a.text(), false);
        }
        return a;
    }

    /** An error is JSON with a documented code and leaks nothing; a 5xx is never expected here. */
    private void checkError(String what, int status, String contentType, String body, boolean raw) {
        if (status >= 500) {
            fail(what + " -> " + status + " " + body + ": a 5xx");
        }
        if (status < 400) {
            return;
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            fail(what + " -> " + status + " with Content-Type " + contentType + ": not JSON");
            return;
        }
        String code = errorOf(body);
        if (!CODES.contains(code)) {
            fail(what + " -> " + status + " " + body + ": undocumented error code " + code);
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                fail(what + " -> " + status + " " + body + ": the message shows '" + leak + "'");
            }
        }
    }

    /** Uploads that have ended since the server started ({@code limits.uploads.finished} of /status). */
    static long uploadsFinished() throws Exception {
        Answer s = SweepClient.send("GET", "/status", ItUsers.READER, null);
        return Json.num(Json.parse(s.text()), "limits", "uploads", "finished");
    }

    /** Waits until the server has ended the upload sent after {@code before}, and holds no other. */
    private void awaitUploadFinished(long before) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Answer s = SweepClient.send("GET", "/status", ItUsers.READER, null);
            Object uploads = Json.parse(s.text());
            if (s.status() == 200 && Json.num(uploads, "limits", "uploads", "finished") > before
                    && Json.num(uploads, "limits", "uploads", "inUse") == 0) {
                return;
            }
            Thread.sleep(20);
        }
        fail("an abandoned upload had not ended 10 s later");
    }

    private static String errorOf(String body) {
        try {
            return Json.str(Json.parse(body), "error");
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    // ------------------------------------------------------------------ small things

    private ItUsers.User editorOrOther() {
        int r = rnd.nextInt(10);
        return r < 6 ? ItUsers.EDITOR : r < 8 ? ItUsers.EDITOR2 : r < 9 ? ItUsers.ADMIN : ItUsers.READER;
    }

    private ItUsers.User anyUser() {
        return rnd.nextBoolean() ? ItUsers.READER : editorOrOther();
    }

    private ItUsers.User anyReader() {
        return rnd.nextBoolean() ? ItUsers.READER : ItUsers.EDITOR2;
    }

    private byte[] randomBody() {
        byte[] b = new byte[SIZES[rnd.nextInt(SIZES.length)]];
        rnd.nextBytes(b);
        return b;
    }

    private static String checkoutPath(String name) {
        return SweepNames.apiPath(name) + "/checkout";
    }

    private void count(int status) {
        statuses.merge(status, 1, Integer::sum);
    }

    private void fail(String what) {
        failures.add("request " + op + ": " + what);
    }

    private static List<String> prefixed(String prefix, List<String> lines) {
        return lines.stream().map(l -> prefix + l).toList();
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
