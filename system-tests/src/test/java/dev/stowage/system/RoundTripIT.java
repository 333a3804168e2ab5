// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every real-world corpus file goes in and comes back out of {@code /data} as the same JSON value (key order aside,
 * numbers equal in value), and the decision for the well-known ones is the expected one.
 */
class RoundTripIT {

    /** Numbers of any length: PostgreSQL gives 1.5e9999 back as its 10,000 digits, equal in value. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Numbers equal in value (1, 1.0 and 1e0 alike); everything else as JsonNode.equals (key order aside). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asString()).compareTo(new BigDecimal(b.asString()));
        }
        return a.equals(b) ? 0 : 1;
    };

    static StowageClient api;

    @BeforeAll
    static void startStack() {
        api = Stack.get().api;
    }

    @Test
    void vegaAndSimdjsonFilesComeBackIdenticalWithTheExpectedDecisions() {
        List<String> files = new ArrayList<>(Corpora.list("vega"));
        files.addAll(Corpora.list("simdjson"));
        Map<String, JsonNode> byName = uploadAndAwait(files);

        for (String path : files) {
            JsonNode file = byName.get(path);
            assertThat(file.get("status").asString())
                    .as(path + ": " + file.get("error"))
                    .isEqualTo("DONE");
            assertRoundTrip(path, file.get("fileId").asString());
        }
        for (String sql :
                List.of("vega/cars.json", "vega/movies.json", "vega/flights-2k.json", "vega/flights-20k.json")) {
            assertThat(byName.get(sql).get("storage").asString()).as(sql).isEqualTo("SQL");
        }
        for (String jsonb : List.of(
                "vega/earthquakes.json",
                "vega/us-10m.json",
                "simdjson/twitter.json",
                "simdjson/citm_catalog.json",
                "simdjson/canada.json")) {
            assertThat(byName.get(jsonb).get("storage").asString()).as(jsonb).isEqualTo("JSONB");
        }
        for (String mapLike : List.of("simdjson/gsoc-2018.json", "simdjson/update-center.json")) {
            JsonNode report = api.get(
                            "/api/v1/files/" + byName.get(mapLike).get("fileId").asString())
                    .json()
                    .get("report");
            assertThat(report.has("mapLike"))
                    .as(mapLike + " is map-like: " + report)
                    .isTrue();
        }
    }

    @Test
    void everyAcceptedJsonTestSuiteFileComesBackIdentical() {
        List<String> files = suite("y_");
        assertThat(files).hasSize(95);
        Map<String, JsonNode> byName = uploadAndAwait(files);
        for (String path : files) {
            JsonNode file = byName.get(path);
            if (values(Corpora.bytes(path)).stream().anyMatch(RoundTripIT::holdsNul)) {
                // PostgreSQL's text and jsonb cannot hold NUL: a defined, permanent failure, never a retry loop.
                assertThat(file.get("status").asString()).as(path).isEqualTo("FAILED");
                assertThat(file.get("attempts").asInt()).as(path).isEqualTo(1);
                continue;
            }
            assertThat(file.get("status").asString())
                    .as(path + ": " + file.get("error"))
                    .isEqualTo("DONE");
            assertRoundTrip(path, file.get("fileId").asString());
        }
    }

    @Test
    void everyRejectedJsonTestSuiteFileFailsOnceWithItsPositionAndEveryOtherEndsDefined() {
        List<String> rejected = suite("n_");
        assertThat(rejected).hasSize(188);
        List<String> empty = rejected.stream()
                .filter(name -> Corpora.bytes(name).length == 0)
                .toList();
        List<String> nonEmpty =
                rejected.stream().filter(name -> !empty.contains(name)).toList();
        for (String name : empty) {
            // An empty file is refused at the door, the whole upload with it: nothing half-accepted.
            assertThat(api.upload(new Multipart().file("files", "empty.json", "application/json", new byte[0]))
                            .status())
                    .as(name)
                    .isEqualTo(400);
        }
        Map<String, JsonNode> byName = uploadAndAwait(nonEmpty);
        for (String path : nonEmpty) {
            JsonNode file = byName.get(path);
            assertThat(file.get("status").asString()).as(path).isEqualTo("FAILED");
            assertThat(file.get("attempts").asInt()).as(path).isEqualTo(1);
            assertThat(file.get("error").asString())
                    .as(path)
                    .matches("(?s)(InvalidJson: Invalid JSON|LimitExceeded: Limit exceeded) at line \\d+, column \\d+.*"
                            + "|InvalidJson: Invalid JSON at byte \\d+: the file is not UTF-8.*"
                            + "|InvalidJson: The file holds no JSON value.*");
        }

        List<String> implementationDefined = suite("i_");
        assertThat(implementationDefined).hasSize(35);
        Map<String, JsonNode> defined = uploadAndAwait(implementationDefined);
        for (String path : implementationDefined) {
            JsonNode file = defined.get(path);
            if (file.get("status").asString().equals("DONE")) {
                assertRoundTrip(path, file.get("fileId").asString());
            } else {
                assertThat(file.get("status").asString()).as(path).isEqualTo("FAILED");
                assertThat(file.get("attempts").asInt())
                        .as(path + ": " + file.get("error"))
                        .isEqualTo(1);
            }
        }
        assertThat(api.get("/actuator/health").status())
                .as("the gateway still serves")
                .isEqualTo(200);
    }

    @Test
    void hostileKeysAndExtremeNumbersMakeAValidTableAndComeBackIdentical() throws Exception {
        String longKey = "a".repeat(80);
        String records = """
                [{"\\"; drop table %1$s.jobs; --": 1, "a\\"b": "quote", "": "empty", "Name": "upper", "name": "lower",
                  "_row": 7, "_file_id": "mine", "_extra": {"x": 1}, "%2$s_one": 1, "%2$s_two": 2,
                  "名前": "multi-byte", "ключ": "cyrillic", "select * from x": true,
                  "big": 123456789012345678901234567890, "max": 9223372036854775807, "min": -9223372036854775808,
                  "huge": 1e400, "tenth": 0.1, "negativeZero": -0.0, "nested": {"deep": {"deeper": {"deepest": [1]}}}},
                 {"Name": 2, "name": null, "tenth": 0.2}]
                """.formatted(Stack.get().services.schema, longKey);
        StowageClient.Answer accepted = api.upload(new Multipart()
                .file(
                        "files",
                        "hostile.json",
                        "application/json",
                        records.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String jobId = accepted.json().get("jobId").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !api.get("/api/v1/jobs/" + jobId)
                        .json()
                        .get("finishedAt")
                        .isNull());
        JsonNode file = api.get("/api/v1/jobs/" + jobId).json().get("files").get(0);
        assertThat(file.get("status").asString()).as(file.toString()).isEqualTo("DONE");
        assertThat(file.get("storage").asString()).isEqualTo("SQL");

        String fileId = file.get("fileId").asString();
        StowageClient.Answer data = api.get("/api/v1/files/" + fileId + "/data");
        List<JsonNode> original = values(records.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(original.get(0).equals(SAME_VALUE, values(data.bytes()).get(0)))
                .as("rebuilt: %s", new String(data.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isTrue();
        assertThat(original.get(0).size()).isEqualTo(2); // the file is one array of two records
        JsonNode columns =
                api.get("/api/v1/files/" + fileId).json().get("report").get("columns");
        List<String> names = new ArrayList<>();
        columns.forEach(column -> names.add(column.get("name").asString()));
        assertThat(names)
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[a-z][a-z0-9_]{0,62}"));
        assertThat(names).contains("name", "name_2", "row", "file_id");
        assertThat(api.get("/api/v1/jobs/" + jobId).status())
                .as("the jobs table is still there")
                .isEqualTo(200);
    }

    @Test
    void repeatedKeysAndValuesNoColumnHoldsComeBackAsWritten() {
        // Records are written to the table straight from the parser's tokens: a repeated key must still end as
        // its last value (as jsonb and every JSON reader here keep it), whatever column or _extra the first went to.
        StringBuilder records = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            records.append("""
                    {"id": %d, "at": "2024-01-%02dT10:00:00Z", "n": %d.5, "flag": true, "s": "row\\t%d",
                     "nested": {"x": %d}},
                    """.formatted(i, i + 1, i, i, i));
        }
        records.append("""
                {"id": 1, "id": "one", "at": "not a time", "n": 1e2, "s": "tab\\there\\nnewline \\\\ back"},
                {"id": "two", "id": 2, "n": -0.0, "flag": null, "nested": {"x": 1}, "nested": 5},
                {"id": 12345678901234567890, "n": 123456789012345678901234567890, "nested": 5, "nested": {"x": 2}},
                {"at": "2024-02-30T10:00:00Z", "at": "2024-02-29T10:00:00+05:30", "flag": false, "flag": "yes"},
                {"nested": {"x": 1, "x": {"y": 3}}, "extra": [1, {"z": null}], "s": null, "s": 7}
                ]""");
        byte[] json = records.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String jobId = Jobs.upload(api, new Multipart().file("files", "repeated.json", "application/json", json));
        JsonNode file =
                Jobs.awaitEnded(api, jobId, Duration.ofSeconds(60)).get("files").get(0);
        assertThat(file.get("status").asString()).as(file.toString()).isEqualTo("DONE");
        assertThat(file.get("storage").asString()).isEqualTo("SQL");

        byte[] rebuilt = api.get("/api/v1/files/" + file.get("fileId").asString() + "/data")
                .bytes();
        JsonNode original = values(json).get(0);
        JsonNode back = values(rebuilt).get(0);
        assertThat(back).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(original.get(i).equals(SAME_VALUE, back.get(i)))
                    .as("record %d: %s came back as %s", i, original.get(i), back.get(i))
                    .isTrue();
        }
    }

    @Test
    void datasetsDescribeTheirColumnsAndRows() {
        StowageClient.Answer accepted = api.upload(new Multipart()
                .field("dataset", "catalogued")
                .file("files", "cars.json", "application/json", Corpora.bytes("vega/cars.json")));
        String jobId = accepted.json().get("jobId").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !api.get("/api/v1/jobs/" + jobId)
                        .json()
                        .get("finishedAt")
                        .isNull());

        JsonNode dataset = api.get("/api/v1/datasets/catalogued").json();
        assertThat(dataset.get("rows").asLong()).isEqualTo(406);
        assertThat(dataset.get("files")).hasSize(1);
        assertThat(dataset.get("columns")).anySatisfy(column -> {
            assertThat(column.get("name").asString()).isEqualTo("miles_per_gallon");
            assertThat(column.get("type").asString()).isEqualTo("numeric");
            assertThat(column.get("path").get(0).asString()).isEqualTo("Miles_per_Gallon");
        });
        assertThat(api.get("/api/v1/datasets").json())
                .anySatisfy(
                        summary -> assertThat(summary.get("name").asString()).isEqualTo("catalogued"));
        assertThat(api.get("/api/v1/datasets/no_such_dataset").status()).isEqualTo(404);
    }

    /** The JSONTestSuite files of one kind: {@code y_} accepted, {@code n_} rejected, {@code i_} either. */
    private static List<String> suite(String kind) {
        return Corpora.list("jsontestsuite").stream()
                .filter(name -> name.contains("/" + kind))
                .toList();
    }

    private static Map<String, JsonNode> uploadAndAwait(List<String> paths) {
        Multipart upload = new Multipart();
        paths.forEach(path ->
                upload.file("files", path.substring(path.indexOf('/') + 1), "application/json", Corpora.bytes(path)));
        JsonNode job = Jobs.awaitEnded(api, Jobs.upload(api, upload), Duration.ofMinutes(3));
        Map<String, JsonNode> byName = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            byName.put(paths.get(i), job.get("files").get(i));
        }
        return byName;
    }

    private static void assertRoundTrip(String path, String fileId) {
        StowageClient.Answer data = api.get("/api/v1/files/" + fileId + "/data");
        assertThat(data.status()).as(path).isEqualTo(200);
        List<JsonNode> original = values(Corpora.bytes(path));
        List<JsonNode> rebuilt = values(data.bytes());
        assertThat(rebuilt).as(path).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(original.get(i).equals(SAME_VALUE, rebuilt.get(i)))
                    .as("%s value %d differs", path, i)
                    .isTrue();
        }
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isString()) {
            return node.stringValue().indexOf('\0') >= 0;
        }
        for (var member : node.properties()) {
            if (member.getKey().indexOf('\0') >= 0 || holdsNul(member.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node) {
            if (node.isArray() && holdsNul(element)) {
                return true;
            }
        }
        return false;
    }

    /** The JSON values of a document or of JSON Lines. */
    private static List<JsonNode> values(byte[] json) {
        List<JsonNode> values = new ArrayList<>();
        try (var iterator = JSON.readValues(JSON.createParser(json), JsonNode.class)) {
            iterator.forEachRemaining(values::add);
        }
        return values;
    }
}
