// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.gateway.system.ProblemType;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint with every kind of bad request: a parameter missing, of the wrong type, out of range, repeated,
 * unknown, too long, a malformed UUID, a wrong enum value, a bad JSON body; and the answers around them (unknown
 * ids, a wrong path, method or content type). Each answer must be an {@code application/problem+json} of a known
 * {@link ProblemType} with its status and title, a detail of at most 500 characters that names the parameter, and
 * be documented for its operation in the OpenAPI document.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemAnswersIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("stowage.upload.max-files-per-request", () -> "3");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    private static final String LONG = "x".repeat(5_000);
    private static final String UUID_TEXT = "0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10";

    @Autowired
    Environment environment;

    URI base;
    StowageClient admin;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        admin = new StowageClient(base, services.adminKey);
    }

    /**
     * One bad request and what it must answer.
     *
     * @param operation the documented operation ("get /api/v1/jobs/{jobId}"), or null where there is none
     * @param names what the detail must contain: the parameter's name, quoted, and what is allowed
     */
    record Case(
            String what,
            Request request,
            int status,
            ProblemType type,
            @Nullable String operation,
            List<String> names) {}

    interface Request {
        Answer send(StowageClient client, URI base);
    }

    static Request get(String path) {
        return (client, base) -> client.get(path);
    }

    static Request post(String path, String contentType, String body) {
        return (client, base) -> client.post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static Case bad(String what, Request request, ProblemType type, String operation, String... names) {
        return new Case(what, request, type.status().value(), type, operation, List.of(names));
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private List<Case> cases() {
        String jobs = "get /api/v1/jobs";
        String job = "get /api/v1/jobs/{jobId}";
        String events = "get /api/v1/jobs/{jobId}/events";
        String cancel = "post /api/v1/jobs/{jobId}/cancel";
        String upload = "post /api/v1/jobs";
        String deadLetters = "get /api/v1/admin/dead-letters";
        String replayAll = "post /api/v1/admin/dead-letters/replay";
        String keys = "post /api/v1/admin/api-keys";
        ProblemType invalid = ProblemType.INVALID_PARAMETER;
        ProblemType unknown = ProblemType.UNKNOWN_PARAMETER;
        ProblemType repeated = ProblemType.REPEATED_PARAMETER;
        ProblemType invalidBody = ProblemType.INVALID_BODY;
        List<Case> cases = new ArrayList<>(List.of(
                // GET /api/v1/jobs
                bad("size below range", get("/api/v1/jobs?size=0"), invalid, jobs, "'size'", "'0'", "1 to 100"),
                bad("size above range", get("/api/v1/jobs?size=101"), invalid, jobs, "'size'", "'101'", "1 to 100"),
                bad("page below range", get("/api/v1/jobs?page=-1"), invalid, jobs, "'page'", "'-1'"),
                bad("page of wrong type", get("/api/v1/jobs?page=first"), invalid, jobs, "'page'", "an integer"),
                bad("size too long", get("/api/v1/jobs?size=" + "9".repeat(300)), invalid, jobs, "'size'", "300 char"),
                bad(
                        "status of wrong case",
                        get("/api/v1/jobs?status=done"),
                        invalid,
                        jobs,
                        "'status'",
                        "'done'",
                        "QUEUED, PROCESSING, DONE, PARTIALLY_FAILED, FAILED"),
                bad("status too long", get("/api/v1/jobs?status=" + LONG), invalid, jobs, "'status'", "5000 char"),
                bad(
                        "status repeated",
                        get("/api/v1/jobs?status=QUEUED&status=DONE"),
                        repeated,
                        jobs,
                        "'status'",
                        "2 times"),
                bad("size repeated", get("/api/v1/jobs?size=1&size=2"), repeated, jobs, "'size'"),
                bad(
                        "unknown parameter",
                        get("/api/v1/jobs?datset=cars"),
                        unknown,
                        jobs,
                        "'datset'",
                        "status, dataset, page, size"),
                bad(
                        "dataset not a name",
                        get("/api/v1/jobs?dataset=" + q("a-b")),
                        ProblemType.INVALID_DATASET,
                        jobs,
                        "'dataset'",
                        "letters"),
                bad(
                        "dataset too long",
                        get("/api/v1/jobs?dataset=" + LONG),
                        ProblemType.INVALID_DATASET,
                        jobs,
                        "'dataset'",
                        "5000 char"),
                // GET /api/v1/jobs/{jobId}
                bad("malformed job id", get("/api/v1/jobs/not-a-uuid"), invalid, job, "'jobId'", "a UUID"),
                bad("job id too long", get("/api/v1/jobs/" + "a".repeat(2_000)), invalid, job, "'jobId'", "2000 char"),
                bad("unknown job", get("/api/v1/jobs/" + UUID_TEXT), ProblemType.NOT_FOUND, job, UUID_TEXT),
                bad("job with a parameter", get("/api/v1/jobs/" + UUID_TEXT + "?verbose=1"), unknown, job, "'verbose'"),
                // POST /api/v1/jobs/{jobId}/cancel
                bad(
                        "cancel of a malformed job id",
                        post("/api/v1/jobs/not-a-uuid/cancel", "application/json", ""),
                        invalid,
                        cancel,
                        "'jobId'",
                        "a UUID"),
                bad(
                        "cancel of an unknown job",
                        post("/api/v1/jobs/" + UUID_TEXT + "/cancel", "application/json", ""),
                        ProblemType.NOT_FOUND,
                        cancel,
                        UUID_TEXT),
                // GET /api/v1/jobs/{jobId}/events
                bad("events of a malformed job id", get("/api/v1/jobs/not-a-uuid/events"), invalid, events, "'jobId'"),
                bad(
                        "events of an unknown job",
                        get("/api/v1/jobs/" + UUID_TEXT + "/events"),
                        ProblemType.NOT_FOUND,
                        events,
                        UUID_TEXT),
                // GET /api/v1/me
                bad("me with a parameter", get("/api/v1/me?tenant=x"), unknown, "get /api/v1/me", "'tenant'"),
                // GET /api/v1/jobs/{jobId}/deliveries
                bad(
                        "deliveries of a malformed job id",
                        get("/api/v1/jobs/not-a-uuid/deliveries"),
                        invalid,
                        "get /api/v1/jobs/{jobId}/deliveries",
                        "'jobId'"),
                bad(
                        "deliveries of an unknown job",
                        get("/api/v1/jobs/" + UUID_TEXT + "/deliveries"),
                        ProblemType.NOT_FOUND,
                        "get /api/v1/jobs/{jobId}/deliveries",
                        UUID_TEXT),
                // POST /api/v1/admin/webhook-secret
                bad(
                        "webhook secret with a parameter",
                        post("/api/v1/admin/webhook-secret?tenant=other", "application/json", ""),
                        unknown,
                        "post /api/v1/admin/webhook-secret",
                        "'tenant'"),
                // POST /api/v1/jobs, one body
                bad(
                        "name too long",
                        post("/api/v1/jobs?name=" + "n".repeat(256), "application/json", "[]"),
                        invalid,
                        upload,
                        "'name'",
                        "at most 255"),
                bad(
                        "upload dataset too long",
                        post("/api/v1/jobs?dataset=" + LONG, "application/json", "[]"),
                        ProblemType.INVALID_DATASET,
                        upload,
                        "'dataset'",
                        "5000 char"),
                bad(
                        "upload dataset repeated",
                        post("/api/v1/jobs?dataset=a&dataset=b", "application/json", "[]"),
                        repeated,
                        upload,
                        "'dataset'"),
                bad(
                        "upload with an unknown parameter",
                        post("/api/v1/jobs?datset=a", "application/json", "[]"),
                        unknown,
                        upload,
                        "'datset'",
                        "name, dataset"),
                bad(
                        "upload of an empty body",
                        post("/api/v1/jobs", "application/json", ""),
                        ProblemType.EMPTY_FILE,
                        upload,
                        "upload.json"),
                bad(
                        "idempotency key too long",
                        (client, base) -> client.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", "k".repeat(256))
                                .POST(HttpRequest.BodyPublishers.ofString("[]"))),
                        invalid,
                        upload,
                        "'Idempotency-Key'",
                        "1 to 255 printable ASCII"),
                bad(
                        "idempotency key given twice",
                        (client, base) -> {
                            Multipart one = new Multipart().file("files", "a.json", "application/json", bytes("{}"));
                            return client.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                                    .header("Content-Type", one.contentType())
                                    .header("Idempotency-Key", "a")
                                    .header("Idempotency-Key", "b")
                                    .POST(one.publisher()));
                        },
                        invalid,
                        upload,
                        "'Idempotency-Key'",
                        "2 times"),
                bad(
                        "upload of plain text",
                        post("/api/v1/jobs", "text/plain", "{}"),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        upload,
                        "'text/plain'",
                        "multipart/form-data"),
                // POST /api/v1/jobs, multipart
                bad(
                        "files missing",
                        (client, base) -> client.upload(new Multipart().field("dataset", "cars")),
                        ProblemType.NO_FILES,
                        upload,
                        "'files'"),
                bad(
                        "a part of another name",
                        (client, base) ->
                                client.upload(new Multipart().file("file", "a.json", "application/json", bytes("{}"))),
                        unknown,
                        upload,
                        "'file'",
                        "files, dataset"),
                bad(
                        "dataset field repeated",
                        (client, base) -> client.upload(new Multipart()
                                .file("files", "a.json", "application/json", bytes("{}"))
                                .field("dataset", "a")
                                .field("dataset", "b")),
                        repeated,
                        upload,
                        "'dataset'"),
                bad(
                        "upload with an empty file",
                        (client, base) ->
                                client.upload(new Multipart().file("files", "e.json", "application/json", new byte[0])),
                        ProblemType.EMPTY_FILE,
                        upload,
                        "'e.json'"),
                bad(
                        "too many files",
                        (client, base) -> {
                            Multipart four = new Multipart();
                            for (int i = 0; i < 4; i++) {
                                four.file("files", i + ".json", "application/json", bytes("{}"));
                            }
                            return client.upload(four);
                        },
                        ProblemType.TOO_MANY_FILES,
                        upload,
                        "at most 3 files"),
                bad(
                        "more parts than the server reads",
                        (client, base) -> {
                            Multipart many = new Multipart();
                            for (int i = 0; i < 40; i++) {
                                many.file("files", i + ".json", "application/json", bytes("{}"));
                            }
                            return client.upload(many);
                        },
                        ProblemType.TOO_MANY_FILES,
                        upload,
                        "at most 3 files"),
                // Files
                bad(
                        "malformed file id",
                        get("/api/v1/files/not%20a%20uuid"),
                        invalid,
                        "get /api/v1/files/{fileId}",
                        "'fileId'",
                        "'not a uuid'"),
                bad(
                        "malformed file id (content)",
                        get("/api/v1/files/123/content"),
                        invalid,
                        "get /api/v1/files/{fileId}/content",
                        "'fileId'",
                        "'123'"),
                bad(
                        "malformed file id (data)",
                        get("/api/v1/files/123/data"),
                        invalid,
                        "get /api/v1/files/{fileId}/data",
                        "'fileId'"),
                bad(
                        "unknown file",
                        get("/api/v1/files/" + UUID_TEXT + "/data"),
                        ProblemType.NOT_FOUND,
                        "get /api/v1/files/{fileId}/data",
                        UUID_TEXT),
                bad(
                        "file with a parameter",
                        get("/api/v1/files/" + UUID_TEXT + "/content?download=1"),
                        unknown,
                        "get /api/v1/files/{fileId}/content",
                        "'download'",
                        "takes none"),
                // Datasets
                bad(
                        "datasets with a parameter",
                        get("/api/v1/datasets?page=1"),
                        unknown,
                        "get /api/v1/datasets",
                        "'page'"),
                bad(
                        "dataset name with a hyphen",
                        get("/api/v1/datasets/no-such"),
                        ProblemType.INVALID_DATASET,
                        "get /api/v1/datasets/{name}",
                        "'name'",
                        "'no-such'"),
                bad(
                        "dataset name too long",
                        get("/api/v1/datasets/" + "d".repeat(2_000)),
                        ProblemType.INVALID_DATASET,
                        "get /api/v1/datasets/{name}",
                        "'name'",
                        "2000 char"),
                bad(
                        "unknown dataset",
                        get("/api/v1/datasets/nothing_here"),
                        ProblemType.NOT_FOUND,
                        "get /api/v1/datasets/{name}",
                        "'nothing_here'"),
                // Dead letters
                bad(
                        "dead letters size above range",
                        get("/api/v1/admin/dead-letters?size=501"),
                        invalid,
                        deadLetters,
                        "'size'",
                        "1 to 500"),
                bad("malformed job filter", get("/api/v1/admin/dead-letters?jobId=7"), invalid, deadLetters, "'jobId'"),
                bad(
                        "error class too long",
                        get("/api/v1/admin/dead-letters?errorClass=" + LONG),
                        invalid,
                        deadLetters,
                        "'errorClass'",
                        "at most 100 characters"),
                bad(
                        "dead letters page repeated",
                        get("/api/v1/admin/dead-letters?page=1&page=2"),
                        repeated,
                        deadLetters,
                        "'page'"),
                bad(
                        "dead letters with an unknown parameter",
                        get("/api/v1/admin/dead-letters?job=" + UUID_TEXT),
                        unknown,
                        deadLetters,
                        "'job'",
                        "jobId, errorClass, page, size"),
                bad(
                        "replay with a malformed job",
                        post("/api/v1/admin/dead-letters/replay?jobId=x", "application/json", ""),
                        invalid,
                        replayAll,
                        "'jobId'"),
                bad(
                        "replay with an unknown parameter",
                        post("/api/v1/admin/dead-letters/replay?all=true", "application/json", ""),
                        unknown,
                        replayAll,
                        "'all'"),
                bad(
                        "replay of a malformed file id",
                        post("/api/v1/admin/dead-letters/nope/replay", "application/json", ""),
                        invalid,
                        "post /api/v1/admin/dead-letters/{fileId}/replay",
                        "'fileId'"),
                bad(
                        "replay of an unknown file",
                        post("/api/v1/admin/dead-letters/" + UUID_TEXT + "/replay", "application/json", ""),
                        ProblemType.NOT_FOUND,
                        "post /api/v1/admin/dead-letters/{fileId}/replay",
                        UUID_TEXT),
                // API keys
                bad(
                        "key without a body",
                        post("/api/v1/admin/api-keys", "application/json", ""),
                        ProblemType.MALFORMED_BODY,
                        keys,
                        "no body",
                        "name, role"),
                bad(
                        "key body not JSON",
                        post("/api/v1/admin/api-keys", "application/json", "{\"name\":"),
                        ProblemType.MALFORMED_BODY,
                        keys,
                        "not valid JSON",
                        "line 1",
                        "name, role"),
                bad(
                        "key body not an object",
                        post("/api/v1/admin/api-keys", "application/json", "[1]"),
                        invalidBody,
                        keys,
                        "name, role"),
                bad(
                        "key without a name",
                        post("/api/v1/admin/api-keys", "application/json", "{\"role\":\"USER\"}"),
                        invalidBody,
                        keys,
                        "'name' is missing",
                        "1 to 100 letters"),
                bad(
                        "key with a role of wrong case",
                        post("/api/v1/admin/api-keys", "application/json", "{\"name\":\"ci\",\"role\":\"user\"}"),
                        invalidBody,
                        keys,
                        "'role'",
                        "'user'",
                        "USER, ADMIN"),
                bad(
                        "key with a role of the wrong JSON type",
                        post("/api/v1/admin/api-keys", "application/json", "{\"name\":\"ci\",\"role\":[\"USER\"]}"),
                        invalidBody,
                        keys,
                        "'role'",
                        "USER, ADMIN"),
                bad(
                        "key with a role as a number",
                        post("/api/v1/admin/api-keys", "application/json", "{\"name\":\"ci\",\"role\":1}"),
                        invalidBody,
                        keys,
                        "'role'",
                        "USER, ADMIN"),
                bad(
                        "key with a field it does not take",
                        post(
                                "/api/v1/admin/api-keys",
                                "application/json",
                                "{\"name\":\"ci\",\"role\":\"USER\",\"tenant\":\"other\"}"),
                        invalidBody,
                        keys,
                        "'tenant'",
                        "name, role"),
                bad(
                        "key with a name too long",
                        post(
                                "/api/v1/admin/api-keys",
                                "application/json",
                                "{\"name\":\"" + LONG + "\",\"role\":\"USER\"}"),
                        invalidBody,
                        keys,
                        "'name'",
                        "5000 char"),
                bad(
                        "key with an unknown parameter",
                        post("/api/v1/admin/api-keys?role=ADMIN", "application/json", "{}"),
                        unknown,
                        keys,
                        "'role'",
                        "takes none"),
                bad(
                        "keys with a parameter",
                        get("/api/v1/admin/api-keys?tenant=other"),
                        unknown,
                        "get /api/v1/admin/api-keys",
                        "'tenant'",
                        "takes none"),
                bad(
                        "key as a form",
                        post("/api/v1/admin/api-keys", "text/plain", "name=x"),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        keys,
                        "'text/plain",
                        "application/json"),
                bad(
                        "revoke with a malformed id",
                        (client, base) -> client.delete("/api/v1/admin/api-keys/" + LONG),
                        invalid,
                        "delete /api/v1/admin/api-keys/{id}",
                        "'id'",
                        "5000 char"),
                bad(
                        "revoke an unknown key",
                        (client, base) -> client.delete("/api/v1/admin/api-keys/" + UUID_TEXT),
                        ProblemType.NOT_FOUND,
                        "delete /api/v1/admin/api-keys/{id}",
                        UUID_TEXT),
                // Routing and content negotiation
                bad("a mistyped path", get("/api/v1/job"), ProblemType.UNKNOWN_ENDPOINT, null, "GET /api/v1/job"),
                bad(
                        "a path outside the API",
                        get("/nothing.html"),
                        ProblemType.UNKNOWN_ENDPOINT,
                        null,
                        "/nothing.html"),
                bad("the error page asked for", get("/error"), ProblemType.UNKNOWN_ENDPOINT, null, "/error"),
                bad(
                        "a method the path lacks",
                        (client, base) -> client.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                                .PUT(HttpRequest.BodyPublishers.noBody())),
                        ProblemType.METHOD_NOT_ALLOWED,
                        null,
                        "'PUT'",
                        "GET, POST"),
                bad(
                        "an answer the client does not accept",
                        (client, base) -> client.send(HttpRequest.newBuilder(base.resolve("/api/v1/datasets"))
                                .header("Accept", "text/xml")),
                        ProblemType.NOT_ACCEPTABLE,
                        "get /api/v1/datasets",
                        "'text/xml'",
                        "application/json"),
                // springdoc brings a YAML module; the API still speaks JSON only (JsonOnly).
                bad(
                        "an answer in YAML",
                        (client, base) -> client.send(HttpRequest.newBuilder(base.resolve("/api/v1/datasets"))
                                .header("Accept", "application/yaml")),
                        ProblemType.NOT_ACCEPTABLE,
                        "get /api/v1/datasets",
                        "'application/yaml'"),
                bad(
                        "a key in YAML",
                        post("/api/v1/admin/api-keys", "application/yaml", "name: ci\nrole: USER\n"),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        keys,
                        "'application/yaml",
                        "application/json")));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAnsweredWithADocumentedProblem() {
        JsonNode document = admin.get("/v3/api-docs").json();
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.what(), () -> {
                    Answer answer = c.request().send(admin, base);
                    JsonNode problem = assertProblem(answer, c.status(), c.type());
                    String detail = problem.get("detail").asString();
                    for (String name : c.names()) {
                        assertThat(detail).as("detail of " + c.what()).contains(name);
                    }
                    assertDocumented(document, c.operation(), c.type());
                }));
    }

    /** A new endpoint is walked too: every operation of the document has at least one bad request above. */
    @Test
    void everyDocumentedOperationIsWalked() {
        JsonNode document = admin.get("/v3/api-docs").json();
        List<String> operations = new ArrayList<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .propertyNames()
                        .forEach(method -> operations.add(method + " " + path.getKey())));
        assertThat(cases().stream().map(Case::operation).distinct().toList())
                .as("operations with a bad request in cases()")
                .containsAll(operations);
    }

    /** The answers of the key checks, and those of a file in the wrong state. */
    @Test
    void keysAndStatesAreAnsweredWithDocumentedProblems() {
        JsonNode document = admin.get("/v3/api-docs").json();
        StowageClient anonymous = new StowageClient(base, null);
        assertProblem(anonymous.get("/api/v1/jobs"), 401, ProblemType.UNAUTHORIZED);
        assertProblem(anonymous.as("not-a-key").get("/api/v1/jobs"), 401, ProblemType.UNAUTHORIZED);
        assertProblem(anonymous.as(services.userKey).get("/api/v1/admin/api-keys"), 403, ProblemType.FORBIDDEN);
        assertDocumented(document, "get /api/v1/jobs", ProblemType.UNAUTHORIZED);
        assertDocumented(document, "get /api/v1/admin/api-keys", ProblemType.FORBIDDEN);

        Answer accepted = admin.post("/api/v1/jobs?name=a.json", "application/json", bytes("[{\"a\":1}]"));
        assertThat(accepted.status()).isEqualTo(202);
        String fileId = accepted.json().get("files").get(0).get("fileId").asString();
        JsonNode notStored = assertProblem(admin.get("/api/v1/files/" + fileId + "/data"), 409, ProblemType.NOT_STORED);
        assertThat(notStored.get("detail").asString()).contains(fileId, "QUEUED");
        assertDocumented(document, "get /api/v1/files/{fileId}/data", ProblemType.NOT_STORED);
        JsonNode notFailed = assertProblem(
                admin.post("/api/v1/admin/dead-letters/" + fileId + "/replay", "application/json", new byte[0]),
                409,
                ProblemType.NOT_DEAD_LETTERED);
        assertThat(notFailed.get("detail").asString()).contains(fileId, "FAILED");
        assertDocumented(document, "post /api/v1/admin/dead-letters/{fileId}/replay", ProblemType.NOT_DEAD_LETTERED);

        String key = "problems-" + java.util.UUID.randomUUID();
        Answer keyed = admin.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs?name=k.json"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("[1]")));
        assertThat(keyed.status()).isEqualTo(202);
        JsonNode reused = assertProblem(
                admin.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs?name=k.json"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString("[2]"))),
                422,
                ProblemType.IDEMPOTENCY_KEY_REUSED);
        assertThat(reused.get("detail").asString())
                .contains(key, keyed.json().get("jobId").asString());
        assertDocumented(document, "post /api/v1/jobs", ProblemType.IDEMPOTENCY_KEY_REUSED);
        // Answered by UploadQuotasIT, which sets tiny quotas.
        assertDocumented(document, "post /api/v1/jobs", ProblemType.QUOTA_EXCEEDED);
    }

    /** The jobs list filters by dataset and status together, as the console does. */
    @Test
    void theJobsListFiltersByDatasetAndStatus() {
        String cars = admin.post("/api/v1/jobs?name=c.json&dataset=cars", "application/json", bytes("[{\"a\":1}]"))
                .json()
                .get("jobId")
                .asString();
        String boats = admin.post("/api/v1/jobs?name=b.json&dataset=boats", "application/json", bytes("[{\"a\":1}]"))
                .json()
                .get("jobId")
                .asString();
        JsonNode onlyCars =
                admin.get("/api/v1/jobs?dataset=cars&status=QUEUED&size=100").json();
        List<String> ids = new ArrayList<>();
        onlyCars.get("jobs").forEach(listed -> ids.add(listed.get("jobId").asString()));
        assertThat(ids).contains(cars).doesNotContain(boats);
        assertThat(admin.get("/api/v1/jobs?dataset=cars&status=DONE").json().get("jobs"))
                .isEmpty();
        // An empty filter filters nothing, as a form's "any" sends it.
        assertThat(admin.get("/api/v1/jobs?dataset=&status=&size=100")
                        .json()
                        .get("jobs")
                        .size())
                .isGreaterThanOrEqualTo(2);
    }

    static JsonNode assertProblem(Answer answer, int status, ProblemType type) {
        String body = new String(answer.bytes(), StandardCharsets.UTF_8);
        assertThat(answer.status()).as(body).isEqualTo(status);
        assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asString())
                .as(body)
                .isEqualTo(type.type().toString());
        assertThat(ProblemType.ofSlug(type.slug())).isPresent();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isEqualTo(type.title());
        String detail = problem.get("detail").asString();
        assertThat(detail).isNotBlank().hasSizeLessThanOrEqualTo(500);
        assertThat(body).as("the whole answer is bounded too").hasSizeLessThan(1_000);
        return problem;
    }

    /** The operation's responses in /v3/api-docs hold this problem's example under its status. */
    static void assertDocumented(JsonNode document, @Nullable String operation, ProblemType type) {
        assertThat(document.get("components").get("examples").has(type.slug()))
                .as(type.slug())
                .isTrue();
        if (operation == null) {
            return;
        }
        String method = operation.substring(0, operation.indexOf(' ')).toLowerCase(Locale.ROOT);
        String path = operation.substring(operation.indexOf(' ') + 1);
        JsonNode examples = document.at("/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method
                + "/responses/" + type.status().value() + "/content/application~1problem+json/examples");
        assertThat(examples.has(type.slug()))
                .as(operation + " documents " + type.slug() + " (@Problems on its controller method)")
                .isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
