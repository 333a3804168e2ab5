// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.gateway.GatewayApplication;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on uploads against the real broker and database, no worker: a retry answers the first
 * request's job and stores nothing, the key with another request is refused, concurrent requests with one key make
 * one job, and the key outlives the gateway that took it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotentUploadsIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    @Autowired
    Environment environment;

    @Autowired
    IdempotencyKeys keys;

    URI base;
    StowageClient api;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        api = new StowageClient(base, services.userKey);
    }

    @Test
    void theSameKeyAndRequestAnswerTheFirstJobAndStoreNothingAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        Answer first = upload(api, key, twoFiles("first"));
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        String jobId = first.json().get("jobId").asString();
        long jobs = count("select count(*) from jobs");
        long files = count("select count(*) from files");
        long chunks = count("select count(*) from file_chunks");

        Answer again = upload(api, key, twoFiles("first"));
        assertThat(again.status()).as(text(again)).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
        JsonNode job = again.json();
        assertThat(job.get("jobId").asString()).isEqualTo(jobId);
        assertThat(job.get("dataset").asString()).isEqualTo("first");
        assertThat(job.get("progress").get("total").asInt()).isEqualTo(2);
        assertThat(names(job)).containsExactly("a.json", "b.json");
        for (int i = 0; i < 2; i++) {
            assertThat(job.get("files").get(i).get("fileId"))
                    .isEqualTo(first.json().get("files").get(i).get("fileId"));
        }
        // The same fields as the 202's.
        assertThat(fields(job)).containsExactlyInAnyOrderElementsOf(fields(first.json()));

        assertThat(count("select count(*) from jobs")).isEqualTo(jobs);
        assertThat(count("select count(*) from files")).isEqualTo(files);
        assertThat(count("select count(*) from file_chunks")).isEqualTo(chunks);
        assertThat(count("select count(*) from files where job_id = '" + jobId + "'"))
                .isEqualTo(2);

        // A JSON body the same way, streamed from the request without a length.
        String bodyKey = "body-" + UUID.randomUUID();
        byte[] json = "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8);
        Answer body = post(api, bodyKey, "/api/v1/jobs?name=one.json", json);
        assertThat(body.status()).isEqualTo(202);
        Answer bodyAgain = post(api, bodyKey, "/api/v1/jobs?name=one.json", json);
        assertThat(bodyAgain.status()).isEqualTo(200);
        assertThat(bodyAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(bodyAgain.json().get("jobId")).isEqualTo(body.json().get("jobId"));

        // Keys are the tenant's own: another tenant's same key is another job.
        Answer other = upload(api.as(services.otherTenantKey), key, twoFiles("first"));
        assertThat(other.status()).isEqualTo(202);
        assertThat(other.json().get("jobId").asString()).isNotEqualTo(jobId);
    }

    @Test
    void theKeyWithAnotherRequestIsRefusedAndKeepsNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        String jobId = upload(api, key, twoFiles("second")).json().get("jobId").asString();
        long jobs = count("select count(*) from jobs");
        long files = count("select count(*) from files");

        Multipart otherBytes = new Multipart()
                .file("files", "a.json", "application/json", bytes("[{\"a\":1}]"))
                .file("files", "b.json", "application/json", bytes("[{\"b\":3}]"))
                .field("dataset", "second");
        Multipart otherName = new Multipart()
                .file("files", "a.json", "application/json", bytes("[{\"a\":1}]"))
                .file("files", "c.json", "application/json", bytes("[{\"b\":2}]"))
                .field("dataset", "second");
        Multipart otherType = new Multipart()
                .file("files", "a.json", "application/json", bytes("[{\"a\":1}]"))
                .file("files", "b.json", "application/x-ndjson", bytes("[{\"b\":2}]"))
                .field("dataset", "second");
        for (Multipart other : List.of(otherBytes, otherName, otherType, twoFiles("third"), twoFiles(null))) {
            Answer refused = upload(api, key, other);
            JsonNode problem = assertProblem(refused, 422, "idempotency-key-reused");
            assertThat(problem.get("detail").asString()).contains(key, jobId);
        }
        assertProblem(
                post(api, key, "/api/v1/jobs?name=a.json&dataset=second", bytes("[{\"a\":1}]")),
                422,
                "idempotency-key-reused");

        assertThat(count("select count(*) from jobs")).isEqualTo(jobs);
        assertThat(count("select count(*) from files")).isEqualTo(files);
        // And the key still answers its own request.
        assertThat(upload(api, key, twoFiles("second")).status()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneJob() throws Exception {
        String key = UUID.randomUUID().toString();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return upload(api, key, twoFiles("concurrent"));
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> jobIds = new ArrayList<>();
            for (Future<Answer> future : answers) {
                Answer answer = future.get(60, TimeUnit.SECONDS);
                statuses.add(answer.status());
                jobIds.add(answer.json().get("jobId").asString());
            }
            assertThat(statuses).containsOnly(200, 202);
            assertThat(statuses).filteredOn(status -> status == 202).hasSize(1);
            assertThat(jobIds).containsOnly(jobIds.get(0));
            assertThat(count("select count(*) from jobs where dataset = 'concurrent'"))
                    .isEqualTo(1);
            assertThat(count("select count(*) from files f join jobs j on j.id = f.job_id"
                            + " where j.dataset = 'concurrent'"))
                    .isEqualTo(2);
            assertThat(count("select count(*) from idempotency_keys where key = '" + key + "'"))
                    .isEqualTo(1);

            // Concurrent requests with one key and different bytes: one job, the others refused.
            String contested = UUID.randomUUID().toString();
            CyclicBarrier together = new CyclicBarrier(4);
            List<Future<Answer>> different = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] content = bytes("[{\"n\":" + i + "}]");
                different.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return upload(
                            api,
                            contested,
                            new Multipart()
                                    .file("files", "n.json", "application/json", content)
                                    .field("dataset", "contested"));
                }));
            }
            List<Integer> contestedStatuses = new ArrayList<>();
            for (Future<Answer> future : different) {
                contestedStatuses.add(future.get(60, TimeUnit.SECONDS).status());
            }
            assertThat(contestedStatuses).containsExactlyInAnyOrder(202, 422, 422, 422);
            assertThat(count("select count(*) from jobs where dataset = 'contested'"))
                    .isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyOutlivesTheGatewayThatTookIt() throws Exception {
        String key = UUID.randomUUID().toString();
        String jobId;
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        services.properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        // A gateway of its own takes the key and stops; this test's gateway, on the same database, answers it.
        try (ConfigurableApplicationContext gateway =
                new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new))) {
            URI firstBase =
                    URI.create("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
            Answer accepted =
                    upload(new StowageClient(firstBase, services.userKey), firstBase, key, twoFiles("restart"));
            assertThat(accepted.status()).isEqualTo(202);
            jobId = accepted.json().get("jobId").asString();
        }
        Answer replayed = upload(api, key, twoFiles("restart"));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.json().get("jobId").asString()).isEqualTo(jobId);
        assertThat(count("select count(*) from jobs where dataset = 'restart'")).isEqualTo(1);
    }

    @Test
    void aKeyOlderThanADayIsForgotten() throws Exception {
        String key = UUID.randomUUID().toString();
        String old = upload(api, key, twoFiles("aged")).json().get("jobId").asString();
        execute("update idempotency_keys set created_at = now() - interval '25 hours' where key = '" + key + "'");

        // Another request with the key is a new upload, and the key names the new job from now on.
        Answer renewed = upload(api, key, twoFiles("aged_again"));
        assertThat(renewed.status()).isEqualTo(202);
        String fresh = renewed.json().get("jobId").asString();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(upload(api, key, twoFiles("aged_again")).json().get("jobId").asString())
                .isEqualTo(fresh);

        String stale = UUID.randomUUID().toString();
        upload(api, stale, twoFiles("purged"));
        execute("update idempotency_keys set created_at = now() - interval '25 hours' where key = '" + stale + "'");
        keys.purge();
        assertThat(count("select count(*) from idempotency_keys where key = '" + stale + "'"))
                .isZero();
        assertThat(count("select count(*) from idempotency_keys where key = '" + key + "'"))
                .isEqualTo(1);
    }

    @Test
    void aKeyThatIsNoKeyIsRefusedNamingTheHeader() throws Exception {
        long jobs = count("select count(*) from jobs");
        for (String bad : List.of("k".repeat(256), "a\tb", "")) {
            Answer answer = upload(api, bad, twoFiles(null));
            assertThat(answer.status()).as("key '%s'", bad).isEqualTo(400);
            JsonNode problem = assertProblem(answer, 400, "invalid-parameter");
            assertThat(problem.get("detail").asString()).contains("'Idempotency-Key'", "1 to 255 printable ASCII");
            assertProblem(post(api, bad, "/api/v1/jobs", bytes("{}")), 400, "invalid-parameter");
        }
        Multipart files = twoFiles(null);
        JsonNode twice = assertProblem(
                api.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                        .header("Content-Type", files.contentType())
                        .header("Idempotency-Key", "one")
                        .header("Idempotency-Key", "two")
                        .POST(files.publisher())),
                400,
                "invalid-parameter");
        assertThat(twice.get("detail").asString()).contains("'Idempotency-Key'", "2 times");
        // 255 printable characters, spaces and punctuation included, are a key.
        String longest = "K ~!" + "x".repeat(251);
        assertThat(upload(api, longest, twoFiles(null)).status()).isEqualTo(202);
        assertThat(upload(api, longest, twoFiles(null)).status()).isEqualTo(200);
        assertThat(count("select count(*) from jobs")).isEqualTo(jobs + 1);
    }

    static Multipart twoFiles(String dataset) {
        Multipart multipart = new Multipart()
                .file("files", "a.json", "application/json", bytes("[{\"a\":1}]"))
                .file("files", "b.json", "application/json", bytes("[{\"b\":2}]"));
        return dataset == null ? multipart : multipart.field("dataset", dataset);
    }

    private Answer upload(StowageClient client, String key, Multipart multipart) {
        return upload(client, base, key, multipart);
    }

    static Answer upload(StowageClient client, URI base, String key, Multipart multipart) {
        return client.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", multipart.contentType())
                .header("Idempotency-Key", key)
                .POST(multipart.publisher()));
    }

    private Answer post(StowageClient client, String key, String path, byte[] body) {
        return client.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static JsonNode assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as(text(answer)).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asString()).isEqualTo("https://stowage.dev/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    private static List<String> names(JsonNode job) {
        List<String> names = new ArrayList<>();
        job.get("files").forEach(file -> names.add(file.get("name").asString()));
        return names;
    }

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.propertyNames().forEach(fields::add);
        return fields;
    }

    private static String text(Answer answer) {
        return new String(answer.bytes(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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

    private static void execute(String sql) throws Exception {
        try (Connection db = services.database();
                Statement statement = db.createStatement()) {
            statement.execute("set search_path to " + services.schema);
            statement.execute(sql);
        }
    }
}
