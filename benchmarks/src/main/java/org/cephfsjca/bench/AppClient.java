package org.cephfsjca.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * HTTP to the benchmark's server as one signed-in user (HTTP Basic on every request, as the example app and the
 * bench deployment require). One client, so one keep-alive connection at a time per thread of use.
 */
final class AppClient {

    /** Status and body of an answer. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Answer expect(int... ok) {
            for (int s : ok) {
                if (status == s) {
                    return this;
                }
            }
            throw new IllegalStateException("unexpected answer " + status + ": " + text());
        }
    }

    private final String base;
    private final String authorization;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    AppClient(String base, WildFlyServer.User user) {
        this.base = base;
        this.authorization = basic(user);
    }

    /** The value of the Authorization header for {@code user}: a secret, never logged. */
    static String basic(WildFlyServer.User user) {
        return "Basic " + Base64.getEncoder().encodeToString((user.name() + ":" + user.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The example app's document path of a name (each segment encoded). */
    static String doc(String name) {
        return "/documents/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Answer put(String path, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Answer post(String path, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", authorization);
    }

    Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.body());
    }
}
