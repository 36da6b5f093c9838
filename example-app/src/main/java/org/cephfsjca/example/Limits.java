package org.cephfsjca.example;

import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The service's limits, read once when the application starts, from system properties (set them with
 * {@code /system-property=NAME:add(value=...)} before deploying, or {@code -DNAME=...} on the server's command line):
 * <table>
 * <tr><th>property</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code cephfs.example.uploads.max}</td><td>3</td><td>uploads (PUT, check-in with content) at once</td></tr>
 * <tr><td>{@code cephfs.example.uploads.waitMillis}</td><td>5000</td><td>how long an upload over the limit waits
 * for a place before 503 {@code busy}</td></tr>
 * <tr><td>{@code cephfs.example.downloads.max}</td><td>3</td><td>downloads streaming at once</td></tr>
 * <tr><td>{@code cephfs.example.downloads.waitMillis}</td><td>60000</td><td>how long a download over the limit
 * waits</td></tr>
 * <tr><td>{@code cephfs.example.retryAfterSeconds}</td><td>2</td><td>the Retry-After of a 503</td></tr>
 * <tr><td>{@code cephfs.example.checkouts.perUser}</td><td>20</td><td>check-outs one user may hold; past it
 * 429</td></tr>
 * </table>
 * Every upload and download holds one pooled connection while its body streams; keep uploads.max + downloads.max
 * below the pool's max-pool-size (8 in configure-adapter.cli) so that listings and the other short requests always
 * find one.
 */
@ApplicationScoped
public class Limits {

    private static final Logger LOG = Logger.getLogger(Limits.class.getName());

    private Bulkhead uploads;
    private Bulkhead downloads;
    private int checkoutsPerUser;

    @PostConstruct
    void read() {
        int retryAfter = property("cephfs.example.retryAfterSeconds", 2, 1);
        uploads = new Bulkhead("uploads", property("cephfs.example.uploads.max", 3, 1),
                property("cephfs.example.uploads.waitMillis", 5000, 0), retryAfter);
        downloads = new Bulkhead("downloads", property("cephfs.example.downloads.max", 3, 1),
                property("cephfs.example.downloads.waitMillis", 60000, 0), retryAfter);
        checkoutsPerUser = property("cephfs.example.checkouts.perUser", 20, 1);
        LOG.info(() -> String.format("limits: uploads %d at once (wait %d ms), downloads %d at once (wait %d ms), "
                        + "%d check-outs per user, Retry-After %d s", uploads.max(), uploads.waitMillis(),
                downloads.max(), downloads.waitMillis(), checkoutsPerUser, retryAfter));
    }

    Bulkhead uploads() {
        return uploads;
    }

    Bulkhead downloads() {
        return downloads;
    }

    int checkoutsPerUser() {
        return checkoutsPerUser;
    }

    private static int property(String name, int defaultValue, int min) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        LOG.warning(() -> "ignoring " + name + "=" + v + " (an integer >= " + min + " is needed); using "
                + defaultValue);
        return defaultValue;
    }
}
