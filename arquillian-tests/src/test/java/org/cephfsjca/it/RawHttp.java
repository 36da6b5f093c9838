package org.cephfsjca.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a plain socket, with the request target sent byte for byte as given: for paths that
 * java.net.URI refuses to build ({@code %}, {@code %zz}), which is exactly what the tests of malformed
 * percent-encoding must send.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Status and body of the answer to {@code method target} (target: the raw path after the API's URL). */
    public static Http.Resp send(String method, String rawPath, ItUsers.User user) {
        String target = ItEnv.CONTEXT + "/api" + rawPath;
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(ItEnv.httpPort()).append("\r\n")
                .append("Connection: close\r\n");
        if (user != null) {
            req.append("Authorization: ").append(Http.basic(user)).append("\r\n");
        }
        if (method.equals("PUT") || method.equals("POST")) {
            req.append("Content-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\nx");
        } else {
            req.append("\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", ItEnv.httpPort()), 10_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = answer.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? answer : answer.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : answer.substring(headerEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Http.Resp(status, body, java.net.http.HttpHeaders.of(parseHeaders(head), (a, b) -> true));
        } catch (IOException e) {
            throw new AssertionError(method + " " + target + " failed: " + e, e);
        }
    }

    private static java.util.Map<String, java.util.List<String>> parseHeaders(String head) {
        java.util.Map<String, java.util.List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        return h;
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
