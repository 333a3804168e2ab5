// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import static dev.stowage.gateway.upload.IdempotentUploadsIT.assertProblem;
import static dev.stowage.gateway.upload.IdempotentUploadsIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * The tenant quotas against the real database, with tiny limits: at most 5 waiting files and 4 uploads a minute per
 * tenant. Over either, 429 with the limit's numbers and a Retry-After, nothing stored, the refusal counted; a
 * replay is answered all the same. Tenant "default" (the USER key) meets the per-minute limit, "other" the waiting
 * files, so the two tests do not meet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadQuotasIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("stowage.tenant.max-waiting-files", () -> "5");
        registry.add("stowage.tenant.max-uploads-per-minute", () -> "4");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    URI base;
    StowageClient user;
    StowageClient other;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        user = new StowageClient(base, services.userKey);
        other = new StowageClient(base, services.otherTenantKey);
    }

    @Test
    void uploadsPerMinuteAreCountedAcrossConcurrentRequestsAndTheWindowSlides() throws Exception {
        double refusedBefore = refused("uploads-per-minute");
        // Eight at once: the count and the insert are one step under the tenant's lock, so exactly four pass.
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Answer> answers = new ArrayList<>();
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return user.post("/api/v1/jobs?name=m.json", "application/json", bytes("[{\"m\":1}]"));
                }));
            }
            for (Future<Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).extracting(Answer::status).containsOnly(202, 429);
        assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(4);
        assertThat(count("select count(*) from jobs where tenant = 'default'")).isEqualTo(4);
        assertThat(count("select count(*) from files f join jobs j on j.id = f.job_id where j.tenant = 'default'"))
                .isEqualTo(4);

        Answer refused = user.post("/api/v1/jobs?name=m.json", "application/json", bytes("[{\"m\":1}]"));
        JsonNode problem = assertProblem(refused, 429, "quota-exceeded");
        assertThat(problem.get("limit").asString()).isEqualTo("uploads-per-minute");
        assertThat(problem.get("current").asLong()).isEqualTo(4);
        assertThat(problem.get("maximum").asLong()).isEqualTo(4);
        assertThat(problem.get("variable").asString()).isEqualTo("STOWAGE_TENANT_MAX_UPLOADS_PER_MINUTE");
        assertThat(problem.get("detail").asString()).contains("'default'", "4 uploads in the last minute");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused("uploads-per-minute")).isEqualTo(refusedBefore + 5);

        // The oldest upload leaves the window 60 s after it came: Retry-After says when.
        execute("update jobs set created_at = created_at - interval '55 seconds' where tenant = 'default'");
        Answer soon = user.post("/api/v1/jobs?name=m.json", "application/json", bytes("[{\"m\":1}]"));
        assertProblem(soon, 429, "quota-exceeded");
        assertThat(Integer.parseInt(soon.header("Retry-After"))).isBetween(1, 5);
        execute("update jobs set created_at = created_at - interval '6 seconds' where tenant = 'default'");
        assertThat(user.post("/api/v1/jobs?name=m.json", "application/json", bytes("[{\"m\":1}]"))
                        .status())
                .isEqualTo(202);
        assertThat(count("select count(*) from jobs where tenant = 'default'")).isEqualTo(5);
    }

    @Test
    void waitingFilesAreCountedWithTheUploadsOwnAndAReplayIsStillAnswered() throws Exception {
        double refusedBefore = refused("waiting-files");
        Answer three = IdempotentUploadsIT.upload(other, base, "three", files(3));
        assertThat(three.status()).isEqualTo(202);
        assertThat(other.upload(files(2)).status()).isEqualTo(202); // 5 waiting: the most allowed

        Answer refused = other.upload(files(1));
        JsonNode problem = assertProblem(refused, 429, "quota-exceeded");
        assertThat(problem.get("limit").asString()).isEqualTo("waiting-files");
        assertThat(problem.get("current").asLong()).isEqualTo(5);
        assertThat(problem.get("maximum").asLong()).isEqualTo(5);
        assertThat(problem.get("variable").asString()).isEqualTo("STOWAGE_TENANT_MAX_WAITING_FILES");
        assertThat(problem.get("detail").asString()).contains("'other'", "5 files waiting", "this upload's 1");
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused("waiting-files")).isEqualTo(refusedBefore + 1);
        assertThat(count("select count(*) from jobs where tenant = 'other'")).isEqualTo(2);
        assertThat(count("select count(*) from files f join jobs j on j.id = f.job_id where j.tenant = 'other'"))
                .isEqualTo(5);

        // A retry of an upload already accepted is answered over the quota: it stores nothing.
        Answer replay = IdempotentUploadsIT.upload(other, base, "three", files(3));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("jobId")).isEqualTo(three.json().get("jobId"));

        // Files that workers took no longer wait; an upload larger than the whole quota never fits.
        execute("update files set status = 'DONE' where job_id = '"
                + three.json().get("jobId").asString() + "'");
        assertThat(other.upload(files(3)).status()).isEqualTo(202);
        JsonNode alone = assertProblem(other.upload(files(6)), 429, "quota-exceeded");
        assertThat(alone.get("limit").asString()).isEqualTo("waiting-files");
        assertThat(count("select count(*) from files f join jobs j on j.id = f.job_id"
                        + " where j.tenant = 'other' and f.status = 'QUEUED'"))
                .isEqualTo(5);

        // The gauge per tenant, one series for each tenant with a key, follows within its refresh.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(meters.get("stowage.tenant.waiting.files")
                            .tag("tenant", "other")
                            .gauge()
                            .value())
                    .isEqualTo(5);
            assertThat(meters.get("stowage.tenant.waiting.files").gauges()).hasSize(2);
        });
    }

    private static Multipart files(int n) {
        Multipart multipart = new Multipart();
        for (int i = 0; i < n; i++) {
            multipart.file("files", i + ".json", "application/json", bytes("[{\"i\":" + i + "}]"));
        }
        return multipart;
    }

    private double refused(String limit) {
        return meters.get("stowage.uploads.refused")
                .tag("limit", limit)
                .counter()
                .count();
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
