package org.cephfsjca.bench;

import static org.cephfsjca.bench.BenchLog.log;

import java.util.Random;

/**
 * Issue 10's example-app scenario, timed: {@code docs} documents, each uploaded and then checked out, then the
 * listing, {@code listings} times (the first one separately: it is the one that used to wait for the MDS). CheckoutIT
 * checks the answer; here only a sanity check that every document is listed as checked out. Then everything is
 * checked in and deleted, so that the HTTP runs after it start from an empty store.
 * Results: {@code srv/list/all} (ms per listing), {@code srv/list/first}.
 */
final class DocScenario {

    private final ServerOptions opts;
    private final Results results;
    private final AppClient app;

    DocScenario(ServerOptions opts, Results results, AppClient app) {
        this.opts = opts;
        this.results = results;
        this.app = app;
    }

    void run() throws Exception {
        Random random = new Random(10);
        for (int i = 0; i < opts.docs; i++) {
            byte[] body = new byte[4096];
            random.nextBytes(body);
            String doc = AppClient.doc(name(i));
            app.put(doc, body).expect(201);
            app.post(doc + "/checkout", new byte[0]).expect(200);
        }
        double[] ms = new double[opts.listings];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            String list = app.get("/documents").expect(200).text();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            int checkedOut = list.split("\"checkedOut\":true", -1).length - 1;
            if (checkedOut != opts.docs) {
                throw new IllegalStateException("the listing shows " + checkedOut + " of " + opts.docs
                        + " documents checked out: " + list);
            }
        }
        results.put("srv/list/all", "ms", ms);
        results.put("srv/list/first", "ms", new double[] {ms[0]});
        Results.Series s = results.get("srv/list/all");
        log("server: " + opts.docs + " documents uploaded and checked out; listing " + ms.length + " times: first "
                + Results.num(ms[0], "ms") + " ms, median " + Results.num(s.median(), "ms") + " ms, max "
                + Results.num(s.max(), "ms") + " ms");
        for (int i = 0; i < opts.docs; i++) {
            String doc = AppClient.doc(name(i));
            app.post(doc + "/checkin", new byte[0]).expect(200);
            app.delete(doc).expect(204);
        }
    }

    private static String name(int i) {
        return String.format("issue10/doc-%02d.bin", i);
    }
}
