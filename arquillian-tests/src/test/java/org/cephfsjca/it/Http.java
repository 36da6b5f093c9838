package org.cephfsjca.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small HTTP client for the example app's REST API, signed in as one user (HTTP Basic, sent with every request).
 * Paths are relative to {@link ItEnv#apiUrl()}. The static methods act as {@link ItUsers#EDITOR}.
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Http EDITOR = new Http(ItUsers.EDITOR);

    private final ItUsers.User user;

    private Http(ItUsers.User user) {
        this.user = user;
    }

    /** Requests as {@code user}; null: without signing in. */
    public static Http as(ItUsers.User user) {
        return new Http(user);
    }

    public static Http anonymous() {
        return new Http(null);
    }

    /** Status, body and headers of a response. */
    public record Resp(int status, String body, HttpHeaders headers) {
        public Object json() {
            return Json.parse(body);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return (Map<String, Object>) json();
        }

        /** The {@code error} code of a JSON error body. */
        public String error() {
            return Json.str(json(), "error");
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A streamed download: status, bytes received, their SHA-256, and the Content-Length announced. */
    public record Download(int status, long bytes, String sha256, long contentLength, String errorBody) {
    }

    static URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : ItEnv.apiUrl() + path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (user != null) {
            b.header("Authorization", basic(user));
        }
        return b;
    }

    public static String basic(ItUsers.User u) {
        return "Basic " + Base64.getEncoder().encodeToString((u.name() + ":" + u.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    public Resp doGet(String path) {
        return send(request(path).GET());
    }

    public Resp doDelete(String path) {
        return send(request(path).DELETE());
    }

    public Resp doPut(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Resp doPut(String path, String body) {
        return doPut(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** PUT with a body of {@code length} bytes read from a fresh stream: never held in memory as a whole. */
    public Resp doPutStream(String path, Supplier<InputStream> body, long length) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body),
                        length)));
    }

    public Resp doPost(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Resp doPost(String path, String body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Resp doPost(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Resp doMethod(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** GET, streaming the body through SHA-256 without keeping it. */
    public Download doDownload(String path) {
        try {
            HttpResponse<InputStream> r = CLIENT.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    return new Download(r.statusCode(), 0, null, announced,
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    sha.update(buf, 0, n);
                    total += n;
                }
                return new Download(200, total, HexFormat.of().formatHex(sha.digest()), announced, null);
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + path, e);
        }
    }

    private static Resp send(HttpRequest.Builder b) {
        HttpRequest req = b.build();
        try {
            HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + req.method() + " " + req.uri(), e);
        }
    }

    // ------------------------------------------------------------ as ItUsers.EDITOR

    public static Resp get(String path) {
        return EDITOR.doGet(path);
    }

    public static Resp delete(String path) {
        return EDITOR.doDelete(path);
    }

    public static Resp put(String path, byte[] body) {
        return EDITOR.doPut(path, body);
    }

    public static Resp put(String path, String body) {
        return EDITOR.doPut(path, body);
    }

    public static Resp putStream(String path, Supplier<InputStream> body, long length) {
        return EDITOR.doPutStream(path, body, length);
    }

    public static Resp post(String path) {
        return EDITOR.doPost(path);
    }

    public static Resp post(String path, String body) {
        return EDITOR.doPost(path, body);
    }

    public static Download download(String path) {
        return EDITOR.doDownload(path);
    }
}
