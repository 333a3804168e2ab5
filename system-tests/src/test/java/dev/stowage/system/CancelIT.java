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
 * Cancelling a job while the workers are in the middle of it. Most of the job's files go to a table this test keeps
 * locked, so they wait, fail on the lock and wait for their retries for as long as the test needs; the others are
 * stored, or fail for good, before the cancel.
 */
class CancelIT {

    private static final int HELD_FILES = 120;

    static TestServices services;
    static StowageClient api;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
    }

    @Test
    void filesNotStartedAreCancelledRunningFilesFinishAndDoneFilesKeepTheirData() throws Exception {
        String seed = Jobs.upload(api, new Multipart().file("files", "cancel_held.json", "application/json", row(0)));
        JsonNode seeded = Jobs.awaitEnded(api, seed);
        assertThat(seeded.get("status").asString()).isEqualTo("DONE");
        JsonNode ended = api.post("/api/v1/jobs/" + seed + "/cancel", "application/json", new byte[0])
                .json();
        assertThat(ended.get("status").asInt())
                .as("a job that ended is not cancelled")
                .isEqualTo(409);
        assertThat(ended.get("type").asString()).endsWith("/job-ended");

        String jobId;
        JsonNode cancelled;
        try (Connection locker = services.database()) {
            locker.setAutoCommit(false);
            locker.createStatement()
                    .execute("lock table " + services.datasetsSchema + ".cancel_held in access exclusive mode");
            Multipart upload = new Multipart();
            for (int i = 1; i <= 5; i++) {
                upload.file("files", "cancel_free.json", "application/json", row(i));
            }
            upload.file(
                    "files",
                    "cancel_broken.json",
                    "application/json",
                    Corpora.bytes("jsontestsuite/n_array_extra_comma.json"));
            for (int i = 1; i <= HELD_FILES; i++) {
                upload.file("files", "cancel_held.json", "application/json", row(i));
            }
            jobId = Jobs.upload(api, upload);
            String job = jobId;
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode progress = api.get("/api/v1/jobs/" + job).json().get("progress");
                return progress.get("done").asInt() == 5
                        && progress.get("failed").asInt() == 1;
            });

            StowageClient.Answer cancel =
                    api.post("/api/v1/jobs/" + jobId + "/cancel", "application/json", new byte[0]);
            assertThat(cancel.status()).isEqualTo(200);
            cancelled = cancel.json();
            assertThat(cancelled.get("cancelledAt").isNull()).isFalse();
            assertThat(cancelled.get("status").asString()).isIn("PROCESSING", "CANCELLED");
            assertThat(cancelled.get("progress").get("cancelled").asInt())
                    .as("files not started when the cancel came")
                    .isPositive();
            // A try that failed while the cancel committed may still have set its file RETRYING: that file ends
            // CANCELLED when its message comes back from the retry tier.
            assertThat(cancelled.get("progress").get("queued").asInt()).isZero();
            locker.rollback();
        }

        JsonNode job = Jobs.awaitEnded(api, jobId);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("failed").asInt()).isEqualTo(1);
        assertThat(progress.get("done").asInt() + progress.get("cancelled").asInt())
                .isEqualTo(5 + HELD_FILES);
        assertThat(progress.get("percent").asInt()).isEqualTo(100);
        assertThat(job.get("finishedAt").isNull()).isFalse();

        StowageClient.Answer again = api.post("/api/v1/jobs/" + jobId + "/cancel", "application/json", new byte[0]);
        assertThat(again.status()).as("cancelling again answers the job").isEqualTo(200);
        assertThat(again.json().get("cancelledAt")).isEqualTo(cancelled.get("cancelledAt"));

        assertThat(attemptsStartedAfterTheCancel(jobId))
                .as("attempts of the job started after the cancel took effect")
                .isEmpty();

        List<String> cancelledFiles = new ArrayList<>();
        long doneRecords = 0;
        List<String> doneFiles = new ArrayList<>();
        for (JsonNode file : job.get("files")) {
            switch (file.get("status").asString()) {
                case "CANCELLED" -> {
                    cancelledFiles.add(file.get("fileId").asString());
                    assertThat(file.get("records").isNull()).isTrue();
                }
                case "DONE" -> {
                    doneFiles.add(file.get("fileId").asString());
                    doneRecords += file.get("records").asLong();
                }
                default -> assertThat(file.get("name").asString()).isEqualTo("cancel_broken.json");
            }
        }
        assertThat(rowsOf(doneFiles, "cancel_free") + rowsOf(doneFiles, "cancel_held"))
                .as("the DONE files' rows are all there")
                .isEqualTo(doneRecords);
        assertThat(rowsOf(cancelledFiles, "cancel_held"))
                .as("no row of a cancelled file")
                .isZero();

        // The cancelled files' messages come back from the retry tiers (at most 4 s) and are dropped.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> services.messageCount(services.topology().workQueue()) == 0);
        for (String fileId : cancelledFiles.subList(0, 3)) {
            assertThat(services.holdsMessageOf(services.topology().deadLetterQueue(), fileId))
                    .isFalse();
        }
        assertThat(Jobs.awaitEnded(api, jobId).get("progress")).isEqualTo(progress);

        String broken = job.get("files").get(5).get("fileId").asString();
        JsonNode refused = api.post("/api/v1/admin/dead-letters/" + broken + "/replay", "application/json", new byte[0])
                .json();
        assertThat(refused.get("status").asInt()).isEqualTo(409);
        assertThat(refused.get("type").asString()).endsWith("/job-cancelled");
        assertThat(refused.get("detail").asString()).contains(jobId, "cancelled");
        assertThat(api.post("/api/v1/admin/dead-letters/replay?jobId=" + jobId, "application/json", new byte[0])
                        .json()
                        .get("replayed")
                        .asInt())
                .isZero();
    }

    @Test
    void onlyTheJobsTenantCancelsIt() {
        String jobId =
                Jobs.upload(api, new Multipart().file("files", "cancel_tenant.json", "application/json", row(1)));
        JsonNode other = api.as(services.otherTenantKey)
                .post("/api/v1/jobs/" + jobId + "/cancel", "application/json", new byte[0])
                .json();
        assertThat(other.get("status").asInt()).isEqualTo(404);
        assertThat(api.post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel", "application/json", new byte[0])
                        .status())
                .isEqualTo(404);
        assertThat(Jobs.awaitEnded(api, jobId).get("status").asString()).isEqualTo("DONE");
    }

    private static List<String> attemptsStartedAfterTheCancel(String jobId) throws Exception {
        List<String> late = new ArrayList<>();
        try (Connection db = services.database();
                var rs = db.createStatement()
                        .executeQuery("select f.name, f.status, a.attempt, a.outcome, a.started_at, j.cancelled_at"
                                + " from " + services.schema + ".attempts a"
                                + " join " + services.schema + ".files f on f.id = a.file_id"
                                + " join " + services.schema + ".jobs j on j.id = f.job_id"
                                + " where j.id = '" + jobId + "' and a.started_at > j.cancelled_at")) {
            while (rs.next()) {
                late.add("%s %s attempt %d %s started %s, cancel %s"
                        .formatted(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6)));
            }
        }
        return late;
    }

    private static long rowsOf(List<String> fileIds, String table) throws Exception {
        if (fileIds.isEmpty()) {
            return 0;
        }
        return services.count("select count(*) from " + services.datasetsSchema + "." + table + " where _file_id in ('"
                + String.join("','", fileIds) + "')");
    }

    private static byte[] row(int i) {
        return ("[{\"id\":" + i + ",\"name\":\"row " + i + "\"},{\"id\":" + (1000 + i) + ",\"name\":\"more\"}]")
                .getBytes(StandardCharsets.UTF_8);
    }
}
