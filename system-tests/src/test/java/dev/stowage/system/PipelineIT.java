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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole product as a user runs it: the gateway and two worker processes (concurrency 4 each) from their jars,
 * the local RabbitMQ and PostgreSQL, a client that only speaks HTTP.
 */
class PipelineIT {

    static TestServices services;
    static StowageClient api;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
    }

    @Test
    void hundredFilesInOneRequestAreAllStoredOnceWithConsistentProgress() throws Exception {
        Multipart upload = new Multipart().field("dataset", "pipeline");
        Map<String, Integer> recordsByName = new HashMap<>();
        Map<String, byte[]> bytesByName = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            String name = "file-%03d.json".formatted(i);
            int records = 30 + i % 20;
            byte[] bytes = records(i, records);
            recordsByName.put(name, records);
            bytesByName.put(name, bytes);
            upload.file("files", name, "application/json", bytes);
        }

        StowageClient.Answer accepted = api.upload(upload);
        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asString();

        List<JsonNode> snapshots = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        JsonNode job = api.get("/api/v1/jobs/" + jobId).json();
                        snapshots.add(job);
                        return job.get("status").asString().equals("DONE");
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The job did not finish:\n" + Diagnostics.unfinished(services, jobId), e);
        }
        int lastDone = 0;
        for (JsonNode snapshot : snapshots) {
            JsonNode p = snapshot.get("progress");
            int done = p.get("done").asInt();
            assertThat(p.get("queued").asInt()
                            + p.get("processing").asInt()
                            + p.get("retrying").asInt()
                            + done
                            + p.get("failed").asInt())
                    .isEqualTo(p.get("total").asInt())
                    .isEqualTo(100);
            assertThat(done).isGreaterThanOrEqualTo(lastDone);
            lastDone = done;
        }

        JsonNode job = snapshots.get(snapshots.size() - 1);
        assertThat(job.get("progress").get("percent").asInt()).isEqualTo(100);
        assertThat(job.get("finishedAt").isNull()).isFalse();
        Map<UUID, Long> rowsPerFile = rowsPerFile(services.datasetsSchema + ".pipeline");
        for (JsonNode file : job.get("files")) {
            String name = file.get("name").asString();
            UUID fileId = UUID.fromString(file.get("fileId").asString());
            assertThat(file.get("status").asString()).isEqualTo("DONE");
            assertThat(file.get("storage").asString()).isEqualTo("SQL");
            assertThat(file.get("records").asLong()).isEqualTo((long) recordsByName.get(name));
            assertThat(rowsPerFile.get(fileId)).as("rows of %s", name).isEqualTo((long) recordsByName.get(name));
            assertThat(api.get("/api/v1/files/" + fileId + "/content").bytes()).isEqualTo(bytesByName.get(name));
        }
        assertThat(rowsPerFile).hasSize(100);

        List<Attempt> attempts = attempts(UUID.fromString(jobId));
        // One DONE attempt per file; a first load into a new dataset may also show a RETRY (lock timeout while
        // another worker creates the table), which is the retry path working, not a duplicate.
        assertThat(attempts.stream().filter(a -> "DONE".equals(a.outcome()))).hasSize(100);
        assertThat(attempts).allSatisfy(a -> assertThat(a.outcome()).isIn("DONE", "RETRY"));
        assertThat(attempts.stream().map(Attempt::worker).distinct())
                .as("both worker processes took files")
                .hasSize(2);
        assertThat(attempts)
                .as("some attempts ran at the same time")
                .anySatisfy(a ->
                        assertThat(attempts).anyMatch(b -> b != a && a.start.before(b.end) && b.start.before(a.end)));
    }

    @Test
    void realFilesBecomeATableOrDocumentsAndExplainWhy() {
        StowageClient.Answer accepted = api.upload(new Multipart()
                .file("files", "cars.json", "application/json", Corpora.bytes("vega/cars.json"))
                .file("files", "earthquakes.json", "application/json", Corpora.bytes("vega/earthquakes.json")));
        String jobId = accepted.json().get("jobId").asString();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/jobs/" + jobId)
                        .json()
                        .get("status")
                        .asString()
                        .equals("DONE"));
        JsonNode files = api.get("/api/v1/jobs/" + jobId).json().get("files");

        JsonNode cars = files.get(0);
        assertThat(cars.get("storage").asString()).isEqualTo("SQL");
        assertThat(cars.get("table").asString()).isEqualTo(services.datasetsSchema + ".cars");
        assertThat(cars.get("records").asLong()).isEqualTo(406);
        JsonNode carsDetail =
                api.get("/api/v1/files/" + cars.get("fileId").asString()).json();
        assertThat(carsDetail.get("report").get("decision").asString()).isEqualTo("SQL");
        assertThat(carsDetail.get("report").get("columns")).hasSize(9);
        JsonNode attempt = carsDetail.get("attempts").get(0);
        assertThat(attempt.get("outcome").asString()).isEqualTo("DONE");
        assertThat(attempt.get("worker").asString()).isNotBlank();
        assertThat(attempt.get("endedAt").isNull()).isFalse();

        JsonNode earthquakes = files.get(1);
        assertThat(earthquakes.get("storage").asString()).isEqualTo("JSONB");
        assertThat(api.get("/api/v1/files/" + earthquakes.get("fileId").asString())
                        .json()
                        .get("report")
                        .get("shape")
                        .asString())
                .isEqualTo("DOCUMENT");
    }

    /** A file of {@code count} flat records of about 100 bytes each. */
    private static byte[] records(int file, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int r = 0; r < count; r++) {
            json.append(r == 0 ? "" : ",")
                    .append(
                            "{\"id\":%d,\"file\":%d,\"name\":\"record %d of file %d\",\"score\":%d.25,\"ok\":%b,\"at\":\"2024-01-%02dT10:00:00Z\"}"
                                    .formatted(r, file, r, file, r, r % 2 == 0, 1 + r % 28));
        }
        return json.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<UUID, Long> rowsPerFile(String table) throws Exception {
        Map<UUID, Long> rows = new HashMap<>();
        try (Connection db = services.database();
                ResultSet rs =
                        db.createStatement().executeQuery("select _file_id, count(*) from " + table + " group by 1")) {
            while (rs.next()) {
                rows.put(rs.getObject(1, UUID.class), rs.getLong(2));
            }
        }
        return rows;
    }

    record Attempt(String worker, Timestamp start, Timestamp end, String outcome) {}

    private static List<Attempt> attempts(UUID jobId) throws Exception {
        List<Attempt> attempts = new ArrayList<>();
        try (Connection db = services.database();
                PreparedStatement query =
                        db.prepareStatement("select a.worker, a.started_at, a.ended_at, a.outcome from "
                                + services.schema + ".attempts a join " + services.schema
                                + ".files f on f.id = a.file_id where f.job_id = ?")) {
            query.setObject(1, jobId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new Attempt(rs.getString(1), rs.getTimestamp(2), rs.getTimestamp(3), rs.getString(4)));
                }
            }
        }
        return attempts;
    }
}
