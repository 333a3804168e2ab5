// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failures as an operator sees them through the admin API: what failed, why, and replaying it. Each test waits for
 * its own files' messages in the dead-letter queue, whatever else is there, so that the tests run in any order.
 */
class DeadLettersIT {

    static TestServices services;
    static StowageClient api;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
    }

    @Test
    void invalidJsonIsListedWithItsReasonAndFiltersWork() throws Exception {
        String jobId = Jobs.upload(
                api,
                new Multipart()
                        .file(
                                "files",
                                "broken.json",
                                "application/json",
                                Corpora.bytes("jsontestsuite/n_array_extra_comma.json"))
                        .file("files", "fine.json", "application/json", utf8("[{\"a\":1}]")));
        JsonNode job = Jobs.awaitEnded(api, jobId);
        assertThat(job.get("status").asString()).isEqualTo("PARTIALLY_FAILED");
        String brokenId = job.get("files").get(0).get("fileId").asString();
        awaitDeadLetterOf(brokenId);

        JsonNode list = api.get("/api/v1/admin/dead-letters?jobId=" + jobId).json();
        assertThat(list.get("queue").asString()).isEqualTo(services.topology().deadLetterQueue());
        assertThat(list.get("messagesInQueue").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(list.get("deadLetters")).singleElement().satisfies(dead -> {
            assertThat(dead.get("fileId").asString()).isEqualTo(brokenId);
            assertThat(dead.get("errorClass").asString()).isEqualTo("InvalidJson");
            assertThat(dead.get("error").asString()).contains("Invalid JSON at line 1, column");
            assertThat(dead.get("attempts").asInt()).isEqualTo(1);
        });
        assertThat(api.get("/api/v1/admin/dead-letters?jobId=" + jobId + "&errorClass=LockTimeout")
                        .json()
                        .get("deadLetters"))
                .isEmpty();

        assertThat(api.post(
                                "/api/v1/admin/dead-letters/"
                                        + job.get("files").get(1).get("fileId").asString() + "/replay",
                                "application/json",
                                new byte[0])
                        .status())
                .as("a DONE file is not replayed")
                .isEqualTo(409);
        assertThat(api.post(
                                "/api/v1/admin/dead-letters/" + UUID.randomUUID() + "/replay",
                                "application/json",
                                new byte[0])
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aFileThatFailedOnALockIsReplayedAfterTheLockEndsAndStoredOnce() throws Exception {
        String jobId = failOnLock("replayed");
        String fileId = firstFileId(jobId);
        JsonNode file = api.get("/api/v1/files/" + fileId).json();
        List<String> outcomes = new ArrayList<>();
        file.get("attempts").forEach(a -> outcomes.add(a.get("outcome").asString()));
        assertThat(outcomes).containsExactly("RETRY", "RETRY", "RETRY", "FAILED");
        assertThat(file.get("error").asString()).startsWith("LockTimeout:");

        awaitDeadLetterOf(fileId);
        JsonNode replay = api.post("/api/v1/admin/dead-letters/" + fileId + "/replay", "application/json", new byte[0])
                .json();
        assertThat(replay.get("replayed").asInt()).isEqualTo(1);
        assertThat(replay.get("removedFromQueue").asInt()).isEqualTo(1);

        JsonNode done = Jobs.awaitEnded(api, jobId);
        assertThat(done.get("status").asString()).isEqualTo("DONE");
        assertThat(done.get("files").get(0).get("attempts").asInt()).isEqualTo(5);
        assertThat(rows("replayed", fileId)).isEqualTo(3);
    }

    @Test
    void replayAllOfAJobGivesEachFileAFreshBudget() {
        String jobId = Jobs.upload(
                api,
                new Multipart()
                        .file("files", "x.json", "application/json", utf8("{\"a\":"))
                        .file("files", "y.json", "application/json", utf8("[1,]")));
        JsonNode failed = Jobs.awaitEnded(api, jobId);
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        for (JsonNode file : failed.get("files")) {
            awaitDeadLetterOf(file.get("fileId").asString());
        }

        JsonNode replay = api.post("/api/v1/admin/dead-letters/replay?jobId=" + jobId, "application/json", new byte[0])
                .json();
        assertThat(replay.get("replayed").asInt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode job = api.get("/api/v1/jobs/" + jobId).json();
            return job.get("status").asString().equals("FAILED")
                    && job.get("files").get(0).get("attempts").asInt() == 2
                    && job.get("files").get(1).get("attempts").asInt() == 2;
        });
    }

    /** Moving the whole DLQ also replays what else is there: those files fail again, and this test ignores them. */
    @Test
    void aDeadLetterMovedBackInTheManagementUiIsReplayedAndStoredOnce() throws Exception {
        String jobId = failOnLock("moved");
        String fileId = firstFileId(jobId);
        awaitDeadLetterOf(fileId);

        services.moveMessages(
                services.topology().deadLetterQueue(), services.topology().workQueue());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/jobs/" + jobId)
                        .json()
                        .get("status")
                        .asString()
                        .equals("DONE"));
        assertThat(api.get("/api/v1/files/" + fileId).json().get("attempts")).hasSize(5);
        assertThat(rows("moved", fileId)).isEqualTo(3);
    }

    /**
     * Stores one file into {@code dataset}, then holds an exclusive lock on its table while a second file is
     * uploaded into it, until that file has used all its tries; returns the second file's job.
     */
    private static String failOnLock(String dataset) throws Exception {
        String first = Jobs.upload(
                api,
                new Multipart()
                        .field("dataset", dataset)
                        .file("files", "a.json", "application/json", utf8("[{\"v\":1}]")));
        assertThat(Jobs.awaitEnded(api, first).get("status").asString()).isEqualTo("DONE");
        try (Connection locker = services.database()) {
            locker.setAutoCommit(false);
            locker.createStatement()
                    .execute("lock table " + services.datasetsSchema + "." + dataset + " in access exclusive mode");
            String jobId = Jobs.upload(
                    api,
                    new Multipart()
                            .field("dataset", dataset)
                            .file("files", "b.json", "application/json", utf8("[{\"v\":2},{\"v\":3},{\"v\":4}]")));
            assertThat(Jobs.awaitEnded(api, jobId).get("status").asString()).isEqualTo("FAILED");
            locker.rollback();
            return jobId;
        }
    }

    /** The file is FAILED a moment before its message has gone round the dead-letter exchange. */
    private static void awaitDeadLetterOf(String fileId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.holdsMessageOf(services.topology().deadLetterQueue(), fileId));
    }

    private static String firstFileId(String jobId) {
        return api.get("/api/v1/jobs/" + jobId)
                .json()
                .get("files")
                .get(0)
                .get("fileId")
                .asString();
    }

    private static long rows(String table, String fileId) throws Exception {
        return services.count(
                "select count(*) from " + services.datasetsSchema + "." + table + " where _file_id = '" + fileId + "'");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
