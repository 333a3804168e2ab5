// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.BuildExpectations;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
 * Keys, roles and tenants over every endpoint, against the real database and broker: no key → 401, a USER key on
 * admin endpoints → 403, another tenant's ids → 404 and absent from its lists, keys added and revoked at run time,
 * nothing outside /api asks for a key, and an actuator that shows health, build info and metrics only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessIT {

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

    StowageClient anonymous;
    StowageClient user;
    StowageClient admin;
    StowageClient otherTenant;

    @BeforeEach
    void clients() {
        anonymous =
                new StowageClient(URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")), null);
        user = anonymous.as(services.userKey);
        admin = anonymous.as(services.adminKey);
        otherTenant = anonymous.as(services.otherTenantKey);
    }

    /** Every endpoint of the API, with ids that exist for the default tenant. */
    private List<String> everyReadPath(String jobId, String fileId) {
        return List.of(
                "/api/v1/jobs",
                "/api/v1/jobs/" + jobId,
                "/api/v1/files/" + fileId,
                "/api/v1/files/" + fileId + "/content",
                "/api/v1/files/" + fileId + "/data",
                "/api/v1/datasets",
                "/api/v1/datasets/anything",
                "/api/v1/admin/dead-letters",
                "/api/v1/admin/api-keys");
    }

    @Test
    void everyApiCallNeedsAKnownKey() {
        JsonNode job = upload(user);
        String jobId = job.get("jobId").asString();
        String fileId = job.get("files").get(0).get("fileId").asString();
        StowageClient wrongKey = anonymous.as("not-a-key-of-this-gateway");
        for (StowageClient client : List.of(anonymous, wrongKey)) {
            for (String path : everyReadPath(jobId, fileId)) {
                Answer answer = assertProblem(client.get(path), 401, "unauthorized");
                assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
            }
            assertProblem(
                    client.post("/api/v1/jobs?name=a.json", "application/json", bytes("{}")), 401, "unauthorized");
            assertProblem(
                    client.post("/api/v1/admin/dead-letters/replay", "application/json", bytes("")),
                    401,
                    "unauthorized");
            assertProblem(
                    client.post("/api/v1/admin/dead-letters/" + fileId + "/replay", "application/json", bytes("")),
                    401,
                    "unauthorized");
            assertProblem(client.post("/api/v1/admin/api-keys", "application/json", bytes("{}")), 401, "unauthorized");
            assertProblem(client.delete("/api/v1/admin/api-keys/" + UUID.randomUUID()), 401, "unauthorized");
        }
        assertProblem(anonymous.as("").get("/api/v1/jobs"), 401, "unauthorized");
        // Paths that a prefix check on the raw URI would miss, and paths that do not exist, need a key too.
        // (Sent as written: URI.resolve would read "//api" as a host name.)
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port");
        for (String path : List.of(
                "//api/v1/jobs",
                "/api//v1/jobs",
                "/x/../api/v1/jobs",
                "/%61pi/v1/jobs",
                "/api;x=1/v1/jobs",
                "/api/v1/nothing",
                "/api")) {
            assertThat(anonymous
                            .send(HttpRequest.newBuilder(URI.create(base + path)))
                            .status())
                    .as(path)
                    .isIn(400, 401);
        }
        assertThat(user.send(HttpRequest.newBuilder(URI.create(base + "//api/v1/admin/dead-letters")))
                        .status())
                .isIn(400, 403);
    }

    @Test
    void adminEndpointsNeedTheAdminRole() {
        assertProblem(user.get("/api/v1/admin/dead-letters"), 403, "forbidden");
        assertProblem(user.post("/api/v1/admin/dead-letters/replay", "application/json", bytes("")), 403, "forbidden");
        assertProblem(
                user.post("/api/v1/admin/dead-letters/" + UUID.randomUUID() + "/replay", "application/json", bytes("")),
                403,
                "forbidden");
        assertProblem(user.get("/api/v1/admin/api-keys"), 403, "forbidden");
        assertProblem(
                user.post("/api/v1/admin/api-keys", "application/json", bytes("{\"name\":\"x\",\"role\":\"ADMIN\"}")),
                403,
                "forbidden");
        assertThat(admin.get("/api/v1/admin/dead-letters").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/admin/api-keys").status()).isEqualTo(200);
    }

    @Test
    void anotherTenantSeesNothingOfOurs() {
        JsonNode job = upload(user);
        String jobId = job.get("jobId").asString();
        String fileId = job.get("files").get(0).get("fileId").asString();
        assertThat(user.get("/api/v1/jobs/" + jobId).status()).isEqualTo(200);
        assertThat(user.get("/api/v1/files/" + fileId + "/content").status()).isEqualTo(200);

        assertProblem(otherTenant.get("/api/v1/jobs/" + jobId), 404, "not-found");
        assertProblem(otherTenant.get("/api/v1/files/" + fileId), 404, "not-found");
        assertProblem(otherTenant.get("/api/v1/files/" + fileId + "/content"), 404, "not-found");
        assertProblem(otherTenant.get("/api/v1/files/" + fileId + "/data"), 404, "not-found");
        assertProblem(
                otherTenant.post("/api/v1/admin/dead-letters/" + fileId + "/replay", "application/json", bytes("")),
                404,
                "not-found");
        assertThat(otherTenant.get("/api/v1/jobs?size=100").json().get("jobs")).isEmpty();
        assertThat(otherTenant.get("/api/v1/admin/dead-letters").json().get("deadLetters"))
                .isEmpty();
        assertThat(otherTenant
                        .post("/api/v1/admin/dead-letters/replay", "application/json", bytes(""))
                        .json()
                        .get("replayed")
                        .asInt())
                .isZero();

        // And the other way round: the other tenant's job is invisible to ours.
        String theirs = upload(otherTenant).get("jobId").asString();
        assertProblem(user.get("/api/v1/jobs/" + theirs), 404, "not-found");
        assertThat(user.get("/api/v1/jobs?size=100").json().get("jobs"))
                .noneSatisfy(
                        listed -> assertThat(listed.get("jobId").asString()).isEqualTo(theirs));
    }

    @Test
    void keysAreAddedAndRevokedWithoutARestartAndStoredHashed() throws Exception {
        Answer created =
                admin.post("/api/v1/admin/api-keys", "application/json", bytes("{\"name\":\"ci\",\"role\":\"USER\"}"));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asString();
        String id = created.json().get("info").get("id").asString();
        assertThat(created.json().get("info").get("tenant").asString()).isEqualTo("default");
        assertThat(created.header("Location")).isEqualTo("/api/v1/admin/api-keys/" + id);

        StowageClient ci = anonymous.as(key);
        assertThat(upload(ci).get("status").asString()).isEqualTo("QUEUED");
        assertProblem(ci.get("/api/v1/admin/api-keys"), 403, "forbidden");

        String listed = new String(admin.get("/api/v1/admin/api-keys").bytes(), StandardCharsets.UTF_8);
        assertThat(listed).contains(id).doesNotContain(key);
        assertThat(services.count("select count(*) from " + services.schema + ".api_keys where key_hash::text like '%"
                        + key + "%' or name = '" + key + "'"))
                .isZero();
        assertThat(services.count("select count(*) from " + services.schema + ".api_keys where id = '" + id + "'"
                        + " and length(key_hash) = 32"))
                .isEqualTo(1);

        // Another tenant's admin can neither see nor revoke it.
        assertThat(new String(otherTenant.get("/api/v1/admin/api-keys").bytes(), StandardCharsets.UTF_8))
                .doesNotContain(id);
        assertProblem(otherTenant.delete("/api/v1/admin/api-keys/" + id), 404, "not-found");
        assertThat(ci.get("/api/v1/jobs").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/admin/api-keys/" + id).status()).isEqualTo(204);
        assertProblem(ci.get("/api/v1/jobs"), 401, "unauthorized");
        assertThat(admin.get("/api/v1/admin/api-keys").json()).anySatisfy(k -> {
            assertThat(k.get("id").asString()).isEqualTo(id);
            assertThat(k.get("revokedAt").isNull()).isFalse();
        });

        assertThat(admin.post("/api/v1/admin/api-keys", "application/json", bytes("{\"name\":\"x\",\"role\":\"ROOT\"}"))
                        .status())
                .isEqualTo(400);
        assertThat(admin.post("/api/v1/admin/api-keys", "application/json", bytes("{\"name\":\"\",\"role\":\"USER\"}"))
                        .status())
                .isEqualTo(400);
    }

    /** Outside /api nothing holds a tenant's data: the OpenAPI document, Swagger UI and static pages are public. */
    @Test
    void onlyTheApiNeedsAKey() {
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs/swagger-config").status()).isEqualTo(200);
        assertThat(anonymous.get("/swagger-ui.html").status()).isIn(200, 302);
        assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(200);
        // The console's page, and a page that does not exist (a 404 problem, not a 401): no key outside /api.
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        assertThat(anonymous.get("/").contentType()).startsWith("text/html");
        assertProblem(anonymous.get("/apiv1/jobs"), 404, "unknown-endpoint");
    }

    @Test
    void actuatorShowsHealthInfoAndMetricsOnly() {
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/info").status()).isEqualTo(200);
        assertThat(new String(anonymous.get("/actuator/health").bytes(), StandardCharsets.UTF_8))
                .doesNotContain("postgres", "rabbit", "details");
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(200);
        for (String hidden : List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "mappings")) {
            assertThat(admin.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void actuatorInfoNamesTheBuildsVersionAndCommitWithoutAKey() {
        Answer info = anonymous.get("/actuator/info");
        assertThat(info.status()).isEqualTo(200);
        BuildExpectations.assertInfoMatchesBuild(info.json(), "api-gateway");
    }

    private static JsonNode upload(StowageClient client) {
        Answer answer = client.post("/api/v1/jobs?name=a.json", "application/json", bytes("[{\"a\":1}]"));
        assertThat(answer.status()).isEqualTo(202);
        return answer.json();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
}
