package org.cephfsjca.example;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one shape of every error: {@code {"error": code, "message": text}}, JSON. */
final class ErrorJson {

    private ErrorJson() {
    }

    static String body(String code, String message) {
        return Json.createObjectBuilder().add("error", code).add("message", message == null ? code : message).build()
                .toString();
    }

    static Response response(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
    }

    static Response response(DocumentException e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(e.code(), e.getMessage()));
        if (e.retryAfterSeconds() >= 0) {
            b.header("Retry-After", e.retryAfterSeconds());
        }
        return b.build();
    }

    /** The code of a status the container or JAX-RS answered by itself. */
    static String codeOf(int status) {
        switch (status) {
            case 400: return "bad-request";
            case 401: return "unauthorized";
            case 403: return "forbidden";
            case 404: return "not-found";
            case 405: return "method-not-allowed";
            case 406: return "not-acceptable";
            case 411: return "length-required";
            case 413: return "too-large";
            case 415: return "unsupported-media-type";
            case 503: return "unavailable";
            default: return status >= 500 ? "internal-error" : "http-" + status;
        }
    }

    static String messageOf(int status) {
        switch (status) {
            case 401: return "sign in first (HTTP Basic authentication with a user of the application realm)";
            case 403: return "your role does not allow this request (reading needs role reader or editor; "
                    + "changing needs editor)";
            case 404: return "no such resource";
            case 405: return "method not allowed here";
            default: return "HTTP " + status;
        }
    }
}
