package org.cephfsjca.example;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request paths whose percent-encoding is malformed ({@code %}, {@code %zz}) or does not decode to valid
 * UTF-8 (overlong forms such as {@code %C0%AE}, stray bytes such as {@code %FF%FE}, encoded surrogates) with a 400
 * JSON {@code bad-encoding}, before JAX-RS sees them (RESTEasy would answer an HTML 400 and log a WARN with a stack
 * trace for each). The http-listener must pass such paths on undecoded ({@code decode-url=false}, set by
 * configure-example.cli): with Undertow's default it rejects {@code %} and {@code %zz} itself, with an empty 400.
 */
@WebFilter(urlPatterns = "/*")
public class EncodingFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String problem = problemOf(req.getRequestURI());
        if (problem != null) {
            res.setStatus(400);
            res.setContentType("application/json");
            res.setCharacterEncoding("UTF-8");
            res.getWriter().write(ErrorJson.body("bad-encoding", "the request path is not valid percent-encoded "
                    + "UTF-8: " + problem));
            return;
        }
        chain.doFilter(req, res);
    }

    /** What is wrong with the raw (still encoded) path, or null. */
    static String problemOf(String raw) {
        if (raw == null) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    return "'%' at index " + i + " is not followed by two hexadecimal digits";
                }
                bytes.put((byte) (hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2))));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return null;
        } catch (CharacterCodingException e) {
            // the position is where decoding stopped: the start of the bad sequence (no Java class names for clients)
            return "the decoded bytes are not UTF-8 (a malformed sequence at byte " + bytes.position() + ")";
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
