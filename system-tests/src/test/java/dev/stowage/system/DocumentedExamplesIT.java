// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example answers that README.md, docs/api.md and docs/storage-model.md show, against the real API: the same
 * requests, in the same order, and each documented answer (a fenced block after a {@code <!-- answer: NAME -->}
 * comment) must have the real answer's field names at every level, its JSON types and its values. Ids, times,
 * worker names, API keys and the dead-letter queue's depth differ on every run, so only their form is compared; the
 * test's own schema and topology prefix read as the defaults, {@code datasets} and {@code stowage}.
 */
class DocumentedExamplesIT {

    private static final List<Path> DOCUMENTS = List.of(
            Path.of("..", "README.md"), Path.of("..", "docs", "api.md"), Path.of("..", "docs", "storage-model.md"));

    private static final Pattern ANSWER = Pattern.compile("<!-- answer: ([a-z0-9-]+) -->");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    /** Fields whose values differ on every run, by the form their values must have. */
    private static final Map<String, Pattern> VARYING = Map.of(
            "worker", Pattern.compile(".+:\\d+"),
            "key", Pattern.compile("stw_[A-Za-z0-9_-]{43}"),
            "messagesInQueue", Pattern.compile("\\d+"),
            "ETag", Pattern.compile("\"[0-9a-f]+\""));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VISITS = """
            {"id":1,"user":{"name":"Ada","tags":["x"]},"at":"2024-05-01T10:00:00Z"}
            {"id":2,"user":{"name":"Bo"},"at":"2024-05-02T11:30:00Z","extra":null}
            {"id":"three","at":"2024-05-03T09:15:00Z"}
            """;

    static TestServices services;
    static StowageClient api;
    static ServiceProcess gateway;

    /** The real answers by the name the docs give them: one HTTP answer, or the JSON values a command printed. */
    private final Map<String, Real> answers = new LinkedHashMap<>();

    private record Real(int status, Map<String, String> headers, List<JsonNode> values) {

        static Real of(JsonNode... values) {
            return new Real(0, Map.of(), List.of(values));
        }
    }

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
        gateway = stack.processes.get(0);
    }

    @Test
    void everyDocumentedAnswerIsWhatTheApiAnswers() throws Exception {
        readme();
        api();
        storageModel();

        Map<String, Documented> documented = documented();
        assertThat(documented.keySet())
                .as("the answers the docs name, against those this test makes")
                .containsExactlyInAnyOrderElementsOf(answers.keySet());
        List<String> differences = new ArrayList<>();
        answers.forEach((name, real) -> compare(documented.get(name), real, differences));
        assertThat(differences)
                .as("documented answers that differ from the API's (fix the docs or the API)")
                .isEmpty();
    }

    /** README.md, "Use it". */
    private void readme() {
        String job = Jobs.upload(
                api,
                new Multipart()
                        .file("files", "cars.json", "application/octet-stream", Corpora.bytes("vega/cars.json"))
                        .file(
                                "files",
                                "earthquakes.json",
                                "application/octet-stream",
                                Corpora.bytes("vega/earthquakes.json"))
                        .field("dataset", "cars_demo"));
        JsonNode ended = Jobs.awaitEnded(api, job);
        List<JsonNode> lines = new ArrayList<>(List.of(ended.get("status"), ended.get("progress")));
        ended.get("files").forEach(lines::add);
        answers.put("readme-job", new Real(0, Map.of(), lines));
    }

    /** docs/api.md, in its order. */
    private void api() throws Exception {
        StowageClient.Answer upload = api.upload(new Multipart()
                .file("files", "cars.json", "application/octet-stream", Corpora.bytes("vega/cars.json"))
                .file("files", "earthquakes.json", "application/octet-stream", Corpora.bytes("vega/earthquakes.json"))
                .field("dataset", "vehicles"));
        answers.put("upload", http(upload));
        String job = upload.json().get("jobId").asString();
        String cars = upload.json().get("files").get(0).get("fileId").asString();
        String quakes = upload.json().get("files").get(1).get("fileId").asString();

        StowageClient.Answer body =
                api.post("/api/v1/jobs?name=events.ndjson", "application/x-ndjson", utf8("{\"a\":1}\n{\"a\":2}\n"));
        answers.put("upload-body", http(body));
        Jobs.awaitEnded(api, body.json().get("jobId").asString());
        Jobs.awaitEnded(api, job);

        StowageClient.Answer jobAnswer = api.get("/api/v1/jobs/" + job);
        answers.put("job", Real.of(jobAnswer.json()));
        StowageClient.Answer unchanged =
                api.send(HttpRequest.newBuilder(gateway.base().resolve("/api/v1/jobs/" + job))
                        .header("If-None-Match", jobAnswer.header("ETag"))
                        .GET());
        answers.put("not-modified", http(unchanged));
        answers.put("jobs", Real.of(api.get("/api/v1/jobs?status=DONE&size=1").json()));
        answers.put("job-ended", Real.of(post("/api/v1/jobs/" + job + "/cancel")));

        ObjectNode file = (ObjectNode) api.get("/api/v1/files/" + cars).json();
        ObjectNode report = (ObjectNode) file.get("report");
        report.set("paths", firstTwo(report.get("paths")));
        report.set("columns", firstTwo(report.get("columns")));
        answers.put("file", Real.of(file));
        answers.put(
                "file-report-document",
                Real.of(api.get("/api/v1/files/" + quakes).json().get("report")));
        assertThat(api.get("/api/v1/files/" + cars + "/content").bytes())
                .as("the content is the original bytes")
                .isEqualTo(Corpora.bytes("vega/cars.json"));
        answers.put(
                "data",
                Real.of(api.get("/api/v1/files/" + cars + "/data").json().get(0)));

        List<JsonNode> datasets = new ArrayList<>();
        api.get("/api/v1/datasets").json().forEach(dataset -> {
            String name = dataset.get("name").asString();
            if (name.equals("vehicles") || name.equals("events")) {
                datasets.add(dataset);
            }
        });
        answers.put("datasets", new Real(0, Map.of(), datasets));
        answers.put("dataset", Real.of(api.get("/api/v1/datasets/events").json()));

        idempotentUploads();
        deadLetters(cars, job);
        apiKeys(job);
    }

    /** "Idempotent uploads": a retry of an ended job's upload, then the key with other bytes. */
    private void idempotentUploads() {
        String key = java.util.UUID.randomUUID().toString();
        StowageClient.Answer first = keyed(key, "{\"a\":1}\n{\"a\":2}\n");
        assertThat(first.status()).isEqualTo(202);
        Jobs.awaitEnded(api, first.json().get("jobId").asString());
        answers.put("upload-replay", http(keyed(key, "{\"a\":1}\n{\"a\":2}\n")));
        answers.put("upload-key-reused", Real.of(keyed(key, "{\"a\":3}\n").json()));
    }

    private static StowageClient.Answer keyed(String key, String ndjson) {
        return api.send(HttpRequest.newBuilder(gateway.base().resolve("/api/v1/jobs?name=retry.ndjson"))
                .header("Content-Type", "application/x-ndjson")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
    }

    private void deadLetters(String cars, String job) throws Exception {
        JsonNode accepted = api.post("/api/v1/jobs?name=broken.json", "application/json", utf8("[1, 2,]"))
                .json();
        String brokenJob = accepted.get("jobId").asString();
        String broken = accepted.get("files").get(0).get("fileId").asString();
        Jobs.awaitEnded(api, brokenJob);
        awaitDeadLettered(broken);
        answers.put("file-failed", Real.of(api.get("/api/v1/files/" + broken).json()));
        answers.put(
                "not-stored",
                Real.of(api.get("/api/v1/files/" + broken + "/data").json()));
        answers.put(
                "dead-letters",
                Real.of(api.get("/api/v1/admin/dead-letters?errorClass=InvalidJson&size=1")
                        .json()));

        answers.put("replay", Real.of(post("/api/v1/admin/dead-letters/" + broken + "/replay")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/files/" + broken)
                                        .json()
                                        .get("attempts")
                                        .size()
                                == 2
                        && api.get("/api/v1/files/" + broken)
                                .json()
                                .get("status")
                                .asString()
                                .equals("FAILED"));
        awaitDeadLettered(broken);
        answers.put("replay-many", Real.of(post("/api/v1/admin/dead-letters/replay?jobId=" + brokenJob)));
        answers.put("not-dead-lettered", Real.of(post("/api/v1/admin/dead-letters/" + cars + "/replay")));
        // The replayed file fails once more; wait for it, so that nothing of this test is still moving later.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/files/" + broken)
                                .json()
                                .get("attempts")
                                .size()
                        == 3);
        awaitDeadLettered(broken);
    }

    private void apiKeys(String job) {
        StowageClient.Answer created =
                api.post("/api/v1/admin/api-keys", "application/json", utf8("{\"name\":\"ci\",\"role\":\"USER\"}"));
        assertThat(created.status()).isEqualTo(201);
        answers.put("api-key", Real.of(created.json()));
        StowageClient ci = api.as(created.json().get("key").asString());
        String id = created.json().get("info").get("id").asString();

        List<JsonNode> lifecycle = new ArrayList<>();
        lifecycle.add(ci.get("/api/v1/jobs/" + job).json().get("status"));
        api.get("/api/v1/admin/api-keys").json().forEach(key -> {
            if (key.get("id").asString().equals(id)) {
                lifecycle.add(key);
            }
        });
        lifecycle.add(IntNode.valueOf(api.delete("/api/v1/admin/api-keys/" + id).status()));
        lifecycle.add(ci.get("/api/v1/jobs/" + job).json());
        answers.put("api-key-lifecycle", new Real(0, Map.of(), lifecycle));

        answers.put(
                "refused",
                Real.of(
                        api.as(null).get("/api/v1/jobs").json(),
                        api.as(services.userKey)
                                .get("/api/v1/admin/dead-letters")
                                .json()));
    }

    /** docs/storage-model.md, "An example". */
    private void storageModel() {
        JsonNode accepted = api.post("/api/v1/jobs?name=visits.ndjson", "application/x-ndjson", utf8(VISITS))
                .json();
        Jobs.awaitEnded(api, accepted.get("jobId").asString());
        String visits = accepted.get("files").get(0).get("fileId").asString();
        JsonNode report = api.get("/api/v1/files/" + visits).json().get("report");
        List<JsonNode> lines = new ArrayList<>();
        report.get("reasons").forEach(lines::add);
        report.get("columns").forEach(lines::add);
        answers.put("visits-report", new Real(0, Map.of(), lines));
        answers.put(
                "visits-data",
                new Real(
                        0,
                        Map.of(),
                        values(api.get("/api/v1/files/" + visits + "/data").bytes())));
    }

    private static JsonNode post(String path) {
        return api.post(path, "application/json", new byte[0]).json();
    }

    /** Until the file's message is in the dead-letter queue (it gets there just after the file is FAILED). */
    private static void awaitDeadLettered(String fileId) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> services.holdsMessageOf(services.topology().deadLetterQueue(), fileId));
    }

    private static ArrayNode firstTwo(JsonNode array) {
        ArrayNode first = JSON.createArrayNode();
        for (int i = 0; i < Math.min(2, array.size()); i++) {
            first.add(array.get(i));
        }
        return first;
    }

    private static Real http(StowageClient.Answer answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        answer.raw()
                .headers()
                .map()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return new Real(answer.status(), headers, values(answer.bytes()));
    }

    // The documented answers.

    /** One documented answer: the status and headers of an HTTP block, and the JSON values in it. */
    private record Documented(String where, int status, Map<String, String> headers, List<JsonNode> values) {}

    private static Map<String, Documented> documented() throws IOException {
        Map<String, Documented> documented = new LinkedHashMap<>();
        for (Path document : DOCUMENTS) {
            List<String> lines = Files.readAllLines(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = ANSWER.matcher(lines.get(i).strip());
                if (!marker.matches()) {
                    continue;
                }
                String where = document.getFileName() + ":" + (i + 1);
                assertThat(lines.get(i + 1))
                        .as(where + ": a fenced block follows the marker")
                        .startsWith("```");
                List<String> block = new ArrayList<>();
                for (int j = i + 2; !lines.get(j).startsWith("```"); j++) {
                    block.add(lines.get(j));
                }
                Documented previous = documented.put(marker.group(1), parse(where, block));
                assertThat(previous)
                        .as(where + ": the answer " + marker.group(1) + " is documented twice")
                        .isNull();
            }
        }
        return documented;
    }

    private static Documented parse(String where, List<String> block) {
        int status = 0;
        Map<String, String> headers = new LinkedHashMap<>();
        int body = 0;
        if (!block.isEmpty() && block.get(0).startsWith("HTTP/")) {
            status = Integer.parseInt(block.get(0).split(" ")[1]);
            for (body = 1; body < block.size() && !block.get(body).isBlank(); body++) {
                String[] header = block.get(body).split(":", 2);
                headers.put(header[0].strip().toLowerCase(Locale.ROOT), header[1].strip());
            }
        }
        String json = String.join("\n", block.subList(Math.min(body, block.size()), block.size()));
        return new Documented(where, status, headers, values(utf8(json)));
    }

    // Comparing.

    private static void compare(Documented documented, Real real, List<String> differences) {
        String where = documented.where();
        if (documented.status() != 0 && documented.status() != real.status()) {
            differences.add(where + ": status " + documented.status() + ", the API answered " + real.status());
        }
        documented.headers().forEach((name, value) -> {
            if (!List.of("location", "content-type", "etag", "cache-control", "idempotent-replayed")
                    .contains(name)) {
                return; // Date, Transfer-Encoding and the like belong to the moment, not to the API
            }
            String answered = real.headers().get(name);
            if (answered == null) {
                differences.add(where + ": header " + name + " is missing from the API's answer");
            } else if (name.equals("etag")) {
                same(where + " header ETag", "ETag", value, answered, differences);
            } else {
                same(where + " header " + name, name, value, answered, differences);
            }
        });
        if (documented.values().size() != real.values().size()) {
            differences.add(where + ": " + documented.values().size() + " JSON values documented, the API gave "
                    + real.values().size() + ": " + real.values());
            return;
        }
        for (int i = 0; i < documented.values().size(); i++) {
            compare(
                    where + " value " + (i + 1) + " $",
                    null,
                    documented.values().get(i),
                    real.values().get(i),
                    differences);
        }
    }

    private static void compare(String at, String field, JsonNode documented, JsonNode real, List<String> differences) {
        if (kind(documented) != kind(real)) {
            differences.add(at + ": documented " + kind(documented) + " " + documented + ", the API gave " + kind(real)
                    + " " + real);
            return;
        }
        switch (kind(documented)) {
            case "object" -> {
                TreeSet<String> documentedNames = new TreeSet<>(documented.propertyNames());
                TreeSet<String> realNames = new TreeSet<>(real.propertyNames());
                if (!documentedNames.equals(realNames)) {
                    differences.add(at + ": documented fields " + documentedNames + ", the API gave " + realNames);
                    return;
                }
                documentedNames.forEach(
                        name -> compare(at + "." + name, name, documented.get(name), real.get(name), differences));
            }
            case "array" -> {
                if (documented.size() != real.size()) {
                    differences.add(at + ": documented " + documented.size() + " elements, the API gave " + real.size()
                            + ": " + real);
                    return;
                }
                for (int i = 0; i < documented.size(); i++) {
                    compare(at + "[" + i + "]", field, documented.get(i), real.get(i), differences);
                }
            }
            case "number" -> {
                if (field != null && VARYING.containsKey(field)) {
                    return;
                }
                if (new BigDecimal(documented.asString()).compareTo(new BigDecimal(real.asString())) != 0) {
                    differences.add(at + ": documented " + documented + ", the API gave " + real);
                }
            }
            case "string" -> same(at, field, documented.asString(), real.asString(), differences);
            default -> {
                if (!documented.equals(real)) {
                    differences.add(at + ": documented " + documented + ", the API gave " + real);
                }
            }
        }
    }

    /** Equal strings, or of one form where the value differs on every run. */
    private static void same(String at, String field, String documented, String real, List<String> differences) {
        Pattern form = field == null ? null : VARYING.get(field);
        if (form != null) {
            if (!form.matcher(documented).matches() || !form.matcher(real).matches()) {
                differences.add(at + ": documented '" + documented + "' and the API's '" + real
                        + "' are not both of the form " + form);
            }
            return;
        }
        String expected = normalized(documented);
        String answered =
                normalized(real.replace(services.datasetsSchema, "datasets").replace(services.prefix, "stowage"));
        if (!expected.equals(answered)) {
            differences.add(at + ": documented '" + documented + "', the API gave '" + real + "'");
        }
    }

    /** Ids and times as placeholders: they differ on every run. */
    private static String normalized(String text) {
        return INSTANT.matcher(UUID.matcher(text).replaceAll("<id>")).replaceAll("<time>");
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isString()) {
            return "string";
        }
        return node.isBoolean() ? "boolean" : "null";
    }

    /** The JSON values of a document or of JSON Lines (none for an empty text). */
    private static List<JsonNode> values(byte[] json) {
        List<JsonNode> values = new ArrayList<>();
        if (new String(json, StandardCharsets.UTF_8).isBlank()) {
            return values;
        }
        try (var iterator = JSON.readValues(JSON.createParser(json), JsonNode.class)) {
            iterator.forEachRemaining(values::add);
        }
        return values;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
