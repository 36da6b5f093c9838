package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Sign-in through WildFly Elytron (users made with add-user.sh, {@link ItUsers}): nothing without signing in (401
 * JSON with a Basic challenge), role reader may read and list but not change, editor may do everything, a
 * check-out belongs to its user (another editor can neither check it in nor break it; an admin can), and the status
 * shows who holds what since when.
 */
class SignInIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("signin");

    @Test
    void nothingWithoutSigningIn() {
        Http anonymous = Http.anonymous();
        for (Http.Resp r : List.of(anonymous.doGet("/documents"), anonymous.doGet("/status"),
                anonymous.doGet(DIR.url("x.txt")), anonymous.doPut(DIR.url("x.txt"), "x"),
                anonymous.doPost(DIR.url("x.txt") + "/checkout"))) {
            assertEquals(401, r.status(), r.toString());
            assertEquals("unauthorized", r.error(), r.toString());
            assertTrue(r.header("WWW-Authenticate").startsWith("Basic"), "a Basic challenge: " + r.headers());
        }
        Http.Resp wrong = Http.as(new ItUsers.User(ItUsers.EDITOR.name(), "not-the-password", "editor"))
                .doGet("/documents");
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals("unauthorized", wrong.error());
    }

    @Test
    void readersReadEditorsChange() {
        Http editor = Http.as(ItUsers.EDITOR);
        Http reader = Http.as(ItUsers.READER);
        assertEquals(201, editor.doPut(DIR.url("roles.txt"), "by the editor").status());

        assertEquals(200, reader.doGet("/documents").status());
        assertEquals("by the editor", reader.doGet(DIR.url("roles.txt")).body());
        assertEquals(200, reader.doGet("/status").status());
        for (Http.Resp r : List.of(reader.doPut(DIR.url("roles.txt"), "by the reader"),
                reader.doPut(DIR.url("new.txt"), "x"), reader.doDelete(DIR.url("roles.txt")),
                reader.doPost(DIR.url("roles.txt") + "/checkout"), reader.doPost(DIR.url("roles.txt") + "/checkin"),
                reader.doDelete(DIR.url("roles.txt") + "/checkout"))) {
            assertEquals(403, r.status(), r.toString());
            assertEquals("forbidden", r.error(), r.toString());
        }
        assertEquals("by the editor", editor.doGet(DIR.url("roles.txt")).body(), "nothing the reader did stuck");
        assertEquals(404, reader.doGet(DIR.url("new.txt")).status());
        assertEquals(204, editor.doDelete(DIR.url("roles.txt")).status());
    }

    @Test
    void aCheckoutBelongsToItsUserOrAnAdmin() {
        Http owner = Http.as(ItUsers.EDITOR);
        Http other = Http.as(ItUsers.EDITOR2);
        Http admin = Http.as(ItUsers.ADMIN);
        String url = DIR.url("owned.txt");
        String name = DIR.name("owned.txt");
        assertEquals(201, owner.doPut(url, "v1").status());

        Instant before = Instant.now().minusSeconds(1);
        Http.Resp co = owner.doPost(url + "/checkout");
        assertEquals(200, co.status(), co.toString());
        assertEquals(ItUsers.EDITOR.name(), Json.str(co.json(), "user"));

        // the status says who holds what, and since when
        Map<String, Object> held = checkoutOf(admin, name);
        assertEquals(ItUsers.EDITOR.name(), held.get("user"), held.toString());
        Instant since = Instant.parse((String) held.get("since"));
        assertTrue(!since.isBefore(before) && Duration.between(since, Instant.now()).toSeconds() < 60,
                "since " + since);
        assertEquals(Boolean.TRUE, held.get("lockValid"));

        // another editor: neither check-in nor break, nor a check-out of their own
        Http.Resp in = other.doPost(url + "/checkin", "v2 by someone else");
        assertEquals(403, in.status(), in.toString());
        assertEquals("not-owner", in.error());
        assertTrue(Json.str(in.json(), "message").contains(ItUsers.EDITOR.name()), in.toString());
        assertEquals("not-owner", other.doDelete(url + "/checkout").error());
        Http.Resp again = other.doPost(url + "/checkout");
        assertEquals(409, again.status(), again.toString());
        assertTrue(Json.str(again.json(), "message").contains("checked out by " + ItUsers.EDITOR.name()),
                again.toString());
        assertEquals("v1", other.doGet(url).body());

        // an admin breaks it (content unchanged)...
        Http.Resp broken = admin.doDelete(url + "/checkout");
        assertEquals(200, broken.status(), broken.toString());
        assertEquals(null, checkoutOf(admin, name));
        assertEquals("v1", owner.doGet(url).body());
        assertEquals("not-checked-out", owner.doPost(url + "/checkin").error());

        // ... or checks it in, with content
        assertEquals(200, owner.doPost(url + "/checkout").status());
        Http.Resp adminIn = admin.doPost(url + "/checkin", "v3 by the admin");
        assertEquals(200, adminIn.status(), adminIn.toString());
        assertEquals("v3 by the admin", owner.doGet(url).body());

        // and the owner checks in their own
        assertEquals(200, owner.doPost(url + "/checkout").status());
        Http.Resp ownIn = owner.doPost(url + "/checkin", "v4 by the owner");
        assertEquals(200, ownIn.status(), ownIn.toString());
        assertEquals("v4 by the owner", other.doGet(url).body());
        assertEquals(204, owner.doDelete(url).status());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> checkoutOf(Http as, String name) {
        Http.Resp s = as.doGet("/status");
        assertEquals(200, s.status(), s.toString());
        List<Map<String, Object>> all = (List<Map<String, Object>>) Json.at(s.json(), "checkouts");
        assertNotNull(all);
        return all.stream().filter(c -> name.equals(c.get("name"))).findFirst().orElse(null);
    }
}
