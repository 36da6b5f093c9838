package org.cephfsjca.example;

/**
 * A failure with an HTTP status and a stable, machine-readable code (the {@code error} of the JSON body; the list is
 * in docs/example-app.md), e.g. 400 {@code bad-name}, 404 {@code not-found}, 409 {@code locked}. Its message is
 * for the client: it names documents by their names, never by their CephFS paths. No stack trace is taken: these
 * are answers, not failures of the server.
 */
public class DocumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    public DocumentException(int status, String code, String message) {
        this(status, code, message, -1);
    }

    DocumentException(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for a Retry-After header, or -1 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static DocumentException badName(String message) {
        return new DocumentException(400, "bad-name", message);
    }

    static DocumentException notFound(String name) {
        return new DocumentException(404, "not-found", "no document named '" + DocumentNames.printable(name) + "'");
    }

    static DocumentException notADirectory(String name, String file) {
        return new DocumentException(409, "not-a-directory", "'" + DocumentNames.printable(name) + "' cannot be "
                + "stored: '" + DocumentNames.printable(file) + "' is a document, not a folder");
    }

    static DocumentException isAFolder(String name) {
        return new DocumentException(409, "not-a-document", "'" + DocumentNames.printable(name) + "' is a folder");
    }

    /** The document is checked out (its lock file's exclusive lock is held); {@code by} says by whom, if known. */
    static DocumentException checkedOut(String name, String by) {
        return new DocumentException(409, "locked", "document '" + DocumentNames.printable(name)
                + "' is checked out " + by + "; it must be checked in first");
    }

    static DocumentException notCheckedOut(String name) {
        return new DocumentException(409, "not-checked-out", "document '" + DocumentNames.printable(name)
                + "' is not checked out on this server");
    }

    static DocumentException notOwner(String name, String owner) {
        return new DocumentException(403, "not-owner", "document '" + DocumentNames.printable(name)
                + "' is checked out by " + owner + "; only " + owner + " or an admin can check it in or break it");
    }

    static DocumentException tooManyCheckouts(String user, int limit) {
        return new DocumentException(429, "too-many-checkouts", user + " already holds " + limit
                + " check-outs, the most one user may hold; check one in first", -1);
    }

    static DocumentException busy(String kind, int max, int retryAfterSeconds) {
        return new DocumentException(503, "busy", "the server is handling " + max + " " + kind
                + " already, the most it takes at once; retry in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
