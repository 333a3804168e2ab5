// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The upload and read API against the real broker and database, with no worker running: what a client sees right
 * after an upload, and every error answer. The worker's side is covered by the system tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadApiIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("stowage.upload.max-files-per-request", () -> "5");
        registry.add("stowage.upload.max-file-size", () -> "200KB");
        registry.add("stowage.upload.max-request-size", () -> "1MB");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    @Autowired
    Environment environment;

    StowageClient api;
    URI base;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        api = new StowageClient(
                URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")), services.userKey);
    }

    @Test
    void acceptsFilesAtOnceAndPublishesOneConfirmedMessagePerFile() throws Exception {
        byte[] cars = Corpora.bytes("vega/cars.json");
        long queuedBefore = services.messageCount(services.topology().workQueue());
        Answer answer = api.upload(new Multipart()
                .file("files", "cars.json", "application/json", cars)
                .file("files", "tiny.json", "application/json", "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8))
                .field("dataset", "vehicles"));

        assertThat(answer.status()).isEqualTo(202);
        JsonNode job = answer.json();
        String jobId = job.get("jobId").asString();
        assertThat(answer.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
        assertThat(job.get("status").asString()).isEqualTo("QUEUED");
        assertThat(job.get("dataset").asString()).isEqualTo("vehicles");
        assertThat(job.get("progress").get("total").asInt()).isEqualTo(2);
        assertThat(job.get("progress").get("queued").asInt()).isEqualTo(2);
        assertThat(job.get("files").get(0).get("name").asString()).isEqualTo("cars.json");
        assertThat(job.get("files").get(0).get("sizeBytes").asLong()).isEqualTo(cars.length);

        // The messages are published right after the answer, and the job marked published once they are confirmed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(services.messageCount(services.topology().workQueue())).isEqualTo(queuedBefore + 2);
            assertThat(count("select count(*) from jobs where id = '" + jobId + "' and published_at is not null"))
                    .isEqualTo(1);
        });

        JsonNode read = api.get("/api/v1/jobs/" + jobId).json();
        assertThat(read.get("progress").get("queued").asInt()).isEqualTo(2);
        assertThat(read.get("finishedAt").isNull()).isTrue();

        String carsId = job.get("files").get(0).get("fileId").asString();
        JsonNode file = api.get("/api/v1/files/" + carsId).json();
        assertThat(file.get("status").asString()).isEqualTo("QUEUED");
        assertThat(file.get("jobId").asString()).isEqualTo(jobId);
        assertThat(file.get("attempts").isArray()).isTrue();

        Answer content = api.get("/api/v1/files/" + carsId + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.bytes()).isEqualTo(cars);
    }

    @Test
    void acceptsOneJsonOrNdjsonBody() {
        byte[] cars = Corpora.bytes("vega/cars.json");
        Answer json = api.post("/api/v1/jobs?name=cars.json", "application/json", cars);
        assertThat(json.status()).isEqualTo(202);
        assertThat(json.json().get("files").get(0).get("name").asString()).isEqualTo("cars.json");
        String fileId = json.json().get("files").get(0).get("fileId").asString();
        assertThat(api.get("/api/v1/files/" + fileId + "/content").bytes()).isEqualTo(cars);

        // Without a Content-Length (chunked), the size is what arrived.
        Answer chunked = api.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs?name=cars.json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(cars))));
        assertThat(chunked.status()).isEqualTo(202);
        assertThat(chunked.json().get("files").get(0).get("sizeBytes").asLong()).isEqualTo(cars.length);
        String chunkedId = chunked.json().get("files").get(0).get("fileId").asString();
        assertThat(api.get("/api/v1/files/" + chunkedId).json().get("sizeBytes").asLong())
                .isEqualTo(cars.length);
        assertThat(api.get("/api/v1/files/" + chunkedId + "/content").bytes()).isEqualTo(cars);

        byte[] lines = "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8);
        Answer ndjson = api.post("/api/v1/jobs", "application/x-ndjson", lines);
        assertThat(ndjson.status()).isEqualTo(202);
        JsonNode file = ndjson.json().get("files").get(0);
        assertThat(file.get("name").asString()).isEqualTo("upload.ndjson");
        assertThat(api.get("/api/v1/files/" + file.get("fileId").asString())
                        .json()
                        .get("contentType")
                        .asString())
                .isEqualTo("application/x-ndjson");
    }

    @Test
    void refusesBadRequestsWithProblemDetailsAndKeepsNothing() throws Exception {
        long jobsBefore = count("select count(*) from jobs");

        assertProblem(api.upload(new Multipart().field("dataset", "x")), 400, "no-files");
        assertProblem(
                api.upload(new Multipart()
                        .file("files", "ok.json", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                        .file("files", "empty.json", "application/json", new byte[0])),
                400,
                "empty-file");
        assertProblem(
                api.upload(new Multipart()
                        .file("files", "a.json", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                        .field("dataset", "x; drop table jobs")),
                400,
                "invalid-dataset");
        assertProblem(
                api.post("/api/v1/jobs", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
                415,
                "unsupported-media-type");

        Multipart six = new Multipart();
        for (int i = 0; i < 6; i++) {
            six.file("files", i + ".json", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        Answer tooMany = assertProblem(api.upload(six), 413, "too-many-files");
        assertThat(tooMany.json().get("detail").asString())
                .contains("at most 5 files of at most 200KB each and 1MB in all");

        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertProblem(api.upload(new Multipart().file("files", "big.json", "application/json", big)), 413, "too-large");
        assertProblem(api.post("/api/v1/jobs?name=big.json", "application/json", big), 413, "too-large");
        // The same without a Content-Length (chunked): refused while it streams in, nothing kept.
        assertProblem(
                api.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs?name=big.json"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))),
                413,
                "too-large");

        assertThat(count("select count(*) from jobs")).isEqualTo(jobsBefore);
    }

    @Test
    void unknownIdsAreNotFound() {
        assertProblem(api.get("/api/v1/jobs/" + UUID.randomUUID()), 404, "not-found");
        assertProblem(api.get("/api/v1/files/" + UUID.randomUUID()), 404, "not-found");
        assertProblem(api.get("/api/v1/files/" + UUID.randomUUID() + "/content"), 404, "not-found");
        assertThat(api.get("/api/v1/jobs/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void listsJobsNewestFirstAndFiltersByStatus() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.post("/api/v1/jobs?name=n.json", "application/json", "[]".getBytes(StandardCharsets.UTF_8))
                    .json()
                    .get("jobId")
                    .asString());
        }
        JsonNode page = api.get("/api/v1/jobs?size=3").json();
        List<String> listed = new ArrayList<>();
        page.get("jobs").forEach(job -> listed.add(job.get("jobId").asString()));
        assertThat(listed).containsExactly(ids.get(2), ids.get(1), ids.get(0));

        JsonNode queued = api.get("/api/v1/jobs?status=QUEUED&size=100").json();
        assertThat(queued.get("jobs"))
                .allSatisfy(job -> assertThat(job.get("status").asString()).isEqualTo("QUEUED"));
        assertThat(api.get("/api/v1/jobs?status=DONE&size=100").json().get("jobs"))
                .isEmpty();
        assertThat(api.get("/api/v1/jobs?size=1000").status()).isEqualTo(400);
    }

    private static Answer assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status())
                .as(new String(answer.bytes(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).isEqualTo("https://stowage.dev/problems/" + type);
        assertThat(answer.json().get("detail").asString()).isNotBlank();
        return answer;
    }

    private static long count(String sql) throws Exception {
        try (Connection db = services.database();
                Statement statement = db.createStatement()) {
            statement.execute("set search_path to " + services.schema);
            try (ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
