package org.cephfsjca.it.sweep;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the document service must hold after the sweep's requests so far (one request at a time, so every answer is
 * predictable): the content of each document, and who has it checked out. Names are NFC. It answers, for a request
 * on a valid name, the one status (and error code) the service must give, following docs/example-app.md.
 */
final class DocumentModel {

    /** A status and, for errors, the {@code error} code. */
    record Expect(int status, String error) {
        static Expect ok(int status) {
            return new Expect(status, null);
        }

        @Override
        public String toString() {
            return error == null ? String.valueOf(status) : status + " " + error;
        }
    }

    private final Map<String, byte[]> docs = new TreeMap<>();
    private final Map<String, String> checkouts = new HashMap<>();
    /** Folders made by uploads below them; they stay when their documents go (the service removes no folder). */
    private final Set<String> folders = new java.util.HashSet<>();

    byte[] content(String name) {
        return docs.get(name);
    }

    Map<String, byte[]> documents() {
        return docs;
    }

    Map<String, String> checkouts() {
        return checkouts;
    }

    boolean isDocument(String name) {
        return docs.containsKey(name);
    }

    /** A folder: an upload made it (some document lay below it once). */
    boolean isFolder(String name) {
        return folders.contains(name);
    }

    /** Some folder on the way to {@code name} is a document. */
    boolean isBelowDocument(String name) {
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            if (docs.containsKey(name.substring(0, i))) {
                return true;
            }
        }
        return false;
    }

    Expect put(String name) {
        if (isBelowDocument(name)) {
            return new Expect(409, "not-a-directory");
        }
        if (isFolder(name)) {
            return new Expect(409, "not-a-document");
        }
        if (checkouts.containsKey(name)) {
            return new Expect(409, "locked");
        }
        return Expect.ok(isDocument(name) ? 200 : 201);
    }

    void stored(String name, byte[] content) {
        docs.put(name, content);
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            folders.add(name.substring(0, i));
        }
    }

    Expect get(String name) {
        if (isDocument(name)) {
            return Expect.ok(200);
        }
        if (isFolder(name)) {
            return new Expect(409, "not-a-document");
        }
        return new Expect(404, "not-found");
    }

    Expect delete(String name) {
        if (isDocument(name)) {
            return checkouts.containsKey(name) ? new Expect(409, "locked") : Expect.ok(204);
        }
        if (isFolder(name)) {
            return new Expect(409, "not-a-document");
        }
        return new Expect(404, "not-found");
    }

    void deleted(String name) {
        docs.remove(name);
    }

    /** Check-out by {@code user}; {@code limit} check-outs per user at most. */
    Expect checkout(String name, String user, int limit) {
        if (checkouts.containsKey(name)) {
            return new Expect(409, "locked");
        }
        if (isFolder(name)) {
            return new Expect(409, "not-a-document");
        }
        if (!isDocument(name)) {
            return new Expect(404, "not-found");
        }
        if (checkouts.values().stream().filter(user::equals).count() >= limit) {
            return new Expect(429, "too-many-checkouts");
        }
        return Expect.ok(200);
    }

    void checkedOut(String name, String user) {
        checkouts.put(name, user);
    }

    /** Check-in or break by {@code user} (an admin may release anyone's). */
    Expect release(String name, String user, boolean admin) {
        String holder = checkouts.get(name);
        if (holder == null) {
            return new Expect(409, "not-checked-out");
        }
        if (!holder.equals(user) && !admin) {
            return new Expect(403, "not-owner");
        }
        return Expect.ok(200);
    }

    void released(String name) {
        checkouts.remove(name);
    }

    /** The documents below {@code dir} as the listing must show them: name -> checked out. */
    Map<String, Boolean> listing(Set<String> names) {
        Map<String, Boolean> out = new TreeMap<>();
        for (String n : names) {
            if (docs.containsKey(n)) {
                out.put(n, checkouts.containsKey(n));
            }
        }
        return out;
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
