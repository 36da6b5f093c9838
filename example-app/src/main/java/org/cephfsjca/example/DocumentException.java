package org.cephfsjca.example;

import jakarta.ejb.ApplicationException;

/**
 * A failure with an HTTP status and a short machine-readable code, e.g. 400 {@code bad-name}, 404 {@code not-found},
 * 409 {@code locked}. An EJB application exception, so it reaches the REST layer unwrapped.
 */
@ApplicationException(rollback = false)
public class DocumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public DocumentException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static DocumentException badName(String message) {
        return new DocumentException(400, "bad-name", message);
    }

    static DocumentException notFound(String name) {
        return new DocumentException(404, "not-found", "no document named '" + name + "'");
    }

    static DocumentException locked(String name, String why) {
        return new DocumentException(409, "locked", "document '" + name + "' " + why);
    }
}
