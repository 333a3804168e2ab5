// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A job's view as a polling client sees it, against the real database: an entity tag that answers 304 while the job
 * is unchanged, and the new view as soon as any writer (here a session standing in for a worker) changes one of its
 * files, however the gateway kept the old one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobViewsIT {

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

    StowageClient api;

    @BeforeEach
    void client() {
        api = new StowageClient(
                URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")), services.userKey);
    }

    @Test
    void anUnchangedJobAnswersNotModifiedAndAChangedOneItsNewView() throws Exception {
        String jobId = upload();
        String path = "/api/v1/jobs/" + jobId;
        Answer first = api.get(path);
        assertThat(first.status()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{16}\"");
        assertThat(first.header("Cache-Control")).isEqualTo("no-cache");

        Answer unchanged = conditionalGet(path, etag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.bytes()).isEmpty();
        assertThat(unchanged.header("ETag")).isEqualTo(etag);

        try (Connection db = services.database()) {
            db.createStatement()
                    .execute("update " + services.schema + ".files set status = 'DONE', attempts = 1, records = 1,"
                            + " finished_at = now(), updated_at = now() where job_id = '" + jobId
                            + "' and ordinal = 0");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> conditionalGet(path, etag).status() == 200);
        Answer changed = conditionalGet(path, etag);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.json().get("progress").get("done").asInt()).isEqualTo(1);
        assertThat(changed.json().get("files").get(0).get("status").asString()).isEqualTo("DONE");
        assertThat(conditionalGet(path, changed.header("ETag")).status()).isEqualTo(304);
    }

    @Test
    void aKeptViewIsNeverShownToAnotherTenant() {
        String path = "/api/v1/jobs/" + upload();
        assertThat(api.get(path).status()).isEqualTo(200); // kept by the gateway now
        Answer other = api.as(services.otherTenantKey).get(path);
        assertThat(other.status()).isEqualTo(404);
        assertThat(new String(other.bytes(), StandardCharsets.UTF_8)).doesNotContain("a.json");
    }

    private String upload() {
        Answer answer = api.upload(new Multipart()
                .file("files", "a.json", "application/json", "[{\"v\":1}]".getBytes(StandardCharsets.UTF_8))
                .file("files", "b.json", "application/json", "[{\"v\":2}]".getBytes(StandardCharsets.UTF_8)));
        assertThat(answer.status()).isEqualTo(202);
        return answer.json().get("jobId").asString();
    }

    private Answer conditionalGet(String path, String etag) {
        return api.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path))
                .header("If-None-Match", etag)
                .GET());
    }
}
