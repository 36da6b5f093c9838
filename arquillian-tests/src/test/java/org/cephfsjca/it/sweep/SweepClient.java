package org.cephfsjca.it.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;

/**
 * The sweep's HTTP client: every request bounded (an answer later than {@link #BOUND} is a hang, reported as such),
 * plus the one request a well-behaved client cannot make: an upload that goes away mid-body.
 */
final class SweepClient {

    static final Duration BOUND = Duration.ofSeconds(30);

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer that did not come within the bound, or a broken connection. */
    static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SweepClient() {
    }

    /** An answer: status, body bytes (a download's content is compared byte for byte), headers. */
    record Answer(int status, byte[] body, HttpHeaders headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The {@code error} code of a JSON error body, or null when the body is not one. */
        String error() {
            try {
                return Json.str(Json.parse(text()), "error");
            } catch (RuntimeException notJson) {
                return null;
            }
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /** {@code method} on the encoded API path {@code apiPath} as {@code user} (null: anonymous). */
    static Answer send(String method, String apiPath, ItUsers.User user, byte[] body) throws NoAnswer {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItEnv.apiUrl() + apiPath)).timeout(BOUND);
        if (user != null) {
            b.header("Authorization", Http.basic(user));
        }
        if (body != null) {
            b.header("Content-Type", "application/octet-stream");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (HttpTimeoutException e) {
            throw new NoAnswer("no answer within " + BOUND.toSeconds() + " s (a hang)", e);
        } catch (IOException e) {
            throw new NoAnswer("connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted", e);
        }
    }

    /**
     * Starts a PUT of {@code announced} bytes, sends {@code sent} of them, then closes the connection: the service
     * must store nothing (the document keeps its content) and answer nothing wrong to anyone else.
     */
    static void abortedUpload(String apiPath, ItUsers.User user, int announced, int sent) throws NoAnswer {
        String head = "PUT " + ItEnv.CONTEXT + "/api" + apiPath + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + ItEnv.httpPort() + "\r\n"
                + "Authorization: " + Http.basic(user) + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: " + announced + "\r\n\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", ItEnv.httpPort()), 10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[sent]);
            out.flush();
        } catch (IOException e) {
            throw new NoAnswer("aborted upload: connection failed: " + e, e);
        }
    }
}
