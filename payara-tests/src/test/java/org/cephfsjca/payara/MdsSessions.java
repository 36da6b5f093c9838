package org.cephfsjca.payara;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cephfsjca.it.Ceph;
import org.cephfsjca.it.ItEnv;
import org.cephfsjca.it.Json;

/**
 * The MDS's client sessions of one node, with the cephx entity each runs as ({@code ceph tell mds.* session ls}):
 * what tells two identities' sessions apart, and which session to evict.
 */
final class MdsSessions {

    /** One client session: the MDS's session id (the client's global id), its uuid, its cephx id. */
    record Session(long id, String uuid, String entity) {
    }

    private MdsSessions() {
    }

    /** Every session the MDS ranks know now. */
    static List<Session> all() {
        String out = Ceph.ceph("tell", "mds.*", "session", "ls", "--format", "json");
        List<Session> sessions = new ArrayList<>();
        // one JSON array per rank; a single-rank file system answers one array
        int start = out.indexOf('[');
        if (start < 0) {
            throw new AssertionError("no session list in: " + out);
        }
        Object parsed = Json.parse(out.substring(start, out.lastIndexOf(']') + 1));
        for (Object o : (List<?>) parsed) {
            Map<?, ?> s = (Map<?, ?>) o;
            Map<?, ?> meta = (Map<?, ?>) s.get("client_metadata");
            if (meta == null || meta.get("uuid") == null) {
                continue;
            }
            sessions.add(new Session(((Number) s.get("id")).longValue(), String.valueOf(meta.get("uuid")),
                    String.valueOf(meta.get("entity_id"))));
        }
        return sessions;
    }

    /** The slot sessions of {@code nodeId} (its pooled data sessions, not its lease session). */
    static List<Session> slotSessionsOf(String nodeId) {
        String prefix = ItEnv.UUID_PREFIX + "-" + nodeId + "-";
        String lease = ItEnv.UUID_PREFIX + "-" + nodeId + "-lease";
        return all().stream().filter(s -> s.uuid().startsWith(prefix) && !s.uuid().startsWith(lease)).toList();
    }

    /** Evicts (and blocklists) one client session, as an operator does. */
    static void evict(Session s) {
        Ceph.ceph("tell", "mds.*", "client", "evict", "id=" + s.id());
    }
}
