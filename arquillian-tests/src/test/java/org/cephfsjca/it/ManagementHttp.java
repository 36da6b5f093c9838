package org.cephfsjca.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain GETs on the test server's management HTTP port (127.0.0.1:{@link ItEnv#managementPort()}): {@code /health},
 * {@code /metrics}. Both are configured without authentication (configure-health.cli; standalone.xml's metrics).
 */
public final class ManagementHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private ManagementHttp() {
    }

    /** Status and body. */
    public record Resp(int status, String body) {
        public Object json() {
            return Json.parse(body);
        }
    }

    /** GET {@code path} (e.g. "/health/ready"); fails the test when the server does not answer within 60 s. */
    public static Resp get(String path) {
        URI uri = URI.create("http://127.0.0.1:" + ItEnv.managementPort() + path);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + uri, e);
        }
    }
}
