package org.cephfsjca.it.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.cephfsjca.it.Await;
import org.cephfsjca.it.DocDir;
import org.cephfsjca.it.ExampleAppClient;
import org.cephfsjca.it.Http;
import org.cephfsjca.it.ItUsers;
import org.cephfsjca.it.Json;
import org.cephfsjca.it.ServerLog;

/**
 * An upload that stores nothing leaves nothing: the folders it created for its name are removed again, and folders
 * that were there before stay (HttpSweepIT seed 44752120843011 found an abandoned {@code a.txt/child} leaving a
 * folder {@code a.txt}, which then refused {@code PUT a.txt}). Concurrent uploads into the same new folders, one in three
 * abandoned, all store what completed: a failed upload's clean-up never takes a folder from under another one.
 */
class AbandonedUploadIT extends ExampleAppClient {

    private static final DocDir DIR = DocDir.create("abandoned");

    @Test
    void anAbandonedUploadLeavesNoFolderAndKeepsTheOnesThatWereThere() throws Exception {
        ServerLog log = ServerLog.mark();
        abandon(DIR.name("new/deeper/doc.bin"));
        assertEquals("404 not-found", answer(Http.get(DIR.url("new"))), "the folder the upload created is gone");
        assertEquals("404 not-found", answer(Http.get(DIR.url("new/deeper"))));
        assertEquals("201", answer(Http.put(DIR.url("new"), "a document where the folder was")));

        assertEquals("201", answer(Http.put(DIR.url("kept/x.txt"), "x")));
        assertEquals("204", answer(Http.delete(DIR.url("kept/x.txt"))));
        abandon(DIR.name("kept/sub/y.bin"));
        assertEquals("409 not-a-document", answer(Http.get(DIR.url("kept"))), "a folder that was there stays");
        assertEquals("404 not-found", answer(Http.get(DIR.url("kept/sub"))));
        assertEquals(List.of(), log.stackTraceLines(), "no stack trace in server.log");
        assertEquals(List.of(), log.warnings(), "no WARN in server.log");
    }

    @Test
    void concurrentUploadsIntoNewFoldersStoreEveryCompletedOneWhenOthersAreAbandoned() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                List<Future<String>> good = new ArrayList<>();
                List<Future<?>> bad = new ArrayList<>();
                // at most 3 uploads at once (Limits' default): one abandoned, two that complete
                String badName = DIR.name("race" + round + "/sub/bad");
                long before = HttpSweepIT.uploadsFinished();
                bad.add(pool.submit(() -> {
                    abandonOnly(badName);
                    return null;
                }));
                for (int i = 0; i < 2; i++) {
                    String goodName = DIR.name("race" + round + "/sub/good" + i);
                    good.add(pool.submit(() -> answer(Http.put("/documents/" + goodName, goodName))));
                }
                for (Future<?> f : bad) {
                    f.get();
                }
                for (int i = 0; i < 2; i++) {
                    assertEquals("201", good.get(i).get(), "round " + round + ", upload " + i);
                }
                Await.until("round " + round + "'s uploads ended", Duration.ofSeconds(30), () -> Http.get("/status"),
                        r -> r.status() == 200
                                && Json.num(Json.parse(r.body()), "limits", "uploads", "finished") >= before + 3
                                && Json.num(Json.parse(r.body()), "limits", "uploads", "inUse") == 0);
                for (int i = 0; i < 2; i++) {
                    String goodName = DIR.name("race" + round + "/sub/good" + i);
                    assertEquals(goodName, Http.get("/documents/" + goodName).body(), "round " + round);
                }
                assertEquals("404 not-found", answer(Http.get(DIR.url("race" + round + "/sub/bad"))));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends 1 KiB of a 64 KiB upload of {@code name}, goes away, and waits until the server has given up on it. */
    private static void abandon(String name) throws Exception {
        long before = HttpSweepIT.uploadsFinished();
        abandonOnly(name);
        Await.until("the abandoned upload ended", Duration.ofSeconds(30), () -> Http.get("/status"),
                r -> r.status() == 200 && Json.num(Json.parse(r.body()), "limits", "uploads", "finished") > before
                        && Json.num(Json.parse(r.body()), "limits", "uploads", "inUse") == 0);
    }

    private static void abandonOnly(String name) throws Exception {
        SweepClient.abortedUpload(SweepNames.apiPath(name), ItUsers.EDITOR, 65_536, 1024);
    }

    private static String answer(Http.Resp r) {
        return r.status() < 400 ? String.valueOf(r.status()) : r.status() + " " + r.error();
    }
}
