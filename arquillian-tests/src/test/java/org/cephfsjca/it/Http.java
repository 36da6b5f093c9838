package org.cephfsjca.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/** A small HTTP client for the example app's REST API. Paths are relative to {@link ItEnv#apiUrl()}. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Http() {
    }

    /** Status and body of a response. */
    public record Resp(int status, String body) {
        public Object json() {
            return Json.parse(body);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return (Map<String, Object>) json();
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

    public static Resp get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public static Resp delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public static Resp put(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public static Resp put(String path, String body) {
        return put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** PUT with a body of {@code length} bytes read from a fresh stream: never held in memory as a whole. */
    public static Resp putStream(String path, Supplier<InputStream> body, long length) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body),
                        length)));
    }

    public static Resp post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public static Resp post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** GET, streaming the body through SHA-256 without keeping it. */
    public static Download download(String path) {
        try {
            HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
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
        HttpRequest req = b.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + req.method() + " " + req.uri(), e);
        }
    }
}
