package org.cephfsjca.it.load;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every content ever sent for each document (its SHA-256), recorded before the request leaves: a GET may see an
 * upload as soon as its rename is done, before its answer arrives. A GET is right when its hash is in the set.
 */
final class Ledger {

    private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();

    void willPut(String doc, String sha256) {
        sent.computeIfAbsent(doc, d -> ConcurrentHashMap.newKeySet()).add(sha256);
    }

    boolean wasPut(String doc, String sha256) {
        Set<String> s = sent.get(doc);
        return s != null && s.contains(sha256);
    }
}
