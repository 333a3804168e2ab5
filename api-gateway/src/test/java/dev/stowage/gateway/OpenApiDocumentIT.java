// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stowage.gateway.system.ProblemType;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document as the gateway serves it: it describes every API route, is valid OpenAPI 3.1, and equals the
 * committed {@code docs/openapi.json}, which clients and reviewers read without starting a gateway. When the API
 * changes on purpose, refresh the file with {@value #REFRESH}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentIT {

    static final String REFRESH =
            "mvn -B verify -pl common-model,api-gateway -Dtest=OpenApiDocumentIT -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dopenapi.write=true";

    static final TestServices services = TestServices.isolated();
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

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
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    URI base;
    StowageClient anonymous;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        anonymous = new StowageClient(base, null);
    }

    /** Served without a key: it holds no tenant's data, and Swagger UI loads it before anyone authorizes. */
    private JsonNode served() {
        Answer answer = anonymous.get("/v3/api-docs");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        return answer.json();
    }

    @Test
    void everyApiRouteIsDocumentedWithItsMethod() {
        JsonNode document = served();
        assertThat(routes()).as("the API's routes").hasSizeGreaterThanOrEqualTo(13);
        assertThat(undocumented(routes(), document))
                .as("routes of RequestMappingHandlerMapping missing from /v3/api-docs")
                .isEmpty();
    }

    /** The check above fails for a route the document lacks. */
    @Test
    void aRouteMissingFromTheDocumentIsReported() {
        ObjectNode document = (ObjectNode) served();
        ((ObjectNode) document.get("paths").get("/api/v1/jobs")).remove("get");
        ((ObjectNode) document.get("paths")).remove("/api/v1/datasets/{name}");
        assertThat(undocumented(routes(), document))
                .containsExactlyInAnyOrder("GET /api/v1/jobs", "GET /api/v1/datasets/{name}");
    }

    /**
     * Outside /api no key is asked for, so no controller of ours may map there: only springdoc's document and
     * Swagger UI's configuration, and the error page.
     */
    @Test
    void nothingButTheDocumentAndTheErrorPageIsMappedOutsideTheApi() {
        List<String> outside = new ArrayList<>();
        mappings.getHandlerMethods()
                .forEach((info, method) -> info.getPatternValues().stream()
                        .filter(pattern -> !pattern.startsWith("/api/"))
                        .filter(pattern -> !method.getBeanType().getName().startsWith("org.springdoc."))
                        .filter(pattern -> !pattern.equals("/error"))
                        .forEach(pattern -> outside.add(
                                pattern + " (" + method.getBeanType().getName() + ")")));
        assertThat(outside).isEmpty();
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(served().toString(), null, options);
        assertThat(result.getMessages()).as("the parser's errors").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
    }

    @Test
    void theDocumentDescribesTheKeyEveryProblemTypeAndTheUploadsBodies() {
        JsonNode document = served();
        JsonNode scheme = document.get("components").get("securitySchemes").get("apiKey");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        for (ProblemType type : ProblemType.values()) {
            JsonNode example = document.get("components").get("examples").get(type.slug());
            assertThat(example).as(type.slug()).isNotNull();
            assertThat(example.get("value").get("type").asString())
                    .isEqualTo(type.type().toString());
            assertThat(example.get("value").get("status").asInt())
                    .isEqualTo(type.status().value());
        }
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    JsonNode responses = operation.getValue().get("responses");
                    String where = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                    assertThat(operation.getValue().get("security").toString())
                            .as(where)
                            .contains("apiKey");
                    for (String status : List.of("401", "503")) {
                        assertThat(responses.get(status).get("content").get("application/problem+json"))
                                .as(where + " " + status)
                                .isNotNull();
                    }
                    assertThat(responses.has("403"))
                            .as(where)
                            .isEqualTo(path.getKey().startsWith("/api/v1/admin/"));
                }));
        JsonNode upload = document.get("paths").get("/api/v1/jobs").get("post");
        assertThat(upload.get("requestBody").get("content").propertyNames())
                .contains("multipart/form-data", "application/json", "application/x-ndjson");
        assertThat(upload.get("requestBody")
                        .get("content")
                        .get("multipart/form-data")
                        .get("schema")
                        .get("properties")
                        .propertyNames())
                .contains("files", "dataset");
    }

    @Test
    void theDocumentEqualsTheCommittedOne() throws IOException {
        JsonNode served = served();
        Path committed = committedDocument();
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(committed, JSON.writeValueAsString(sorted(served)) + "\n", StandardCharsets.UTF_8);
        }
        assertEqualsCommitted(served, committed);
    }

    /** The check above fails, saying how to refresh the file, when the served document has changed. */
    @Test
    void aChangedDocumentIsReportedWithHowToRefreshIt(@TempDir Path dir) throws IOException {
        ObjectNode served = (ObjectNode) served();
        Path file = dir.resolve("openapi.json");
        Files.writeString(file, JSON.writeValueAsString(sorted(served)), StandardCharsets.UTF_8);
        assertEqualsCommitted(served, file);

        ((ObjectNode) served.get("info")).put("title", "Something else");
        ((ObjectNode) served.get("paths")).remove("/api/v1/datasets");
        assertThatThrownBy(() -> assertEqualsCommitted(served, file))
                .hasMessageContaining("/info/title")
                .hasMessageContaining("/paths/~1api~1v1~1datasets (gone)")
                .hasMessageContaining("-Dopenapi.write=true");
    }

    @Test
    void swaggerUiLoadsWithoutAKeyAndPointsAtTheDocument() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(base.resolve("/swagger-ui.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        Answer config = anonymous.get("/v3/api-docs/swagger-config");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("url").asString()).isEqualTo("/v3/api-docs");
        assertThat(anonymous.get("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        // The document is public; the API it describes is not.
        assertThat(anonymous.get("/api/v1/jobs").status()).isEqualTo(401);
    }

    /** "GET /api/v1/jobs" for every method and pattern of the handler mappings under /api. */
    private List<String> routes() {
        List<String> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                mappings.getHandlerMethods().entrySet()) {
            for (String pattern : mapping.getKey().getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    for (RequestMethod method :
                            mapping.getKey().getMethodsCondition().getMethods()) {
                        routes.add(method.name() + " " + pattern);
                    }
                }
            }
        }
        return routes;
    }

    static List<String> undocumented(List<String> routes, JsonNode document) {
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            JsonNode path = document.get("paths").get(route.substring(route.indexOf(' ') + 1));
            if (path == null || path.get(method) == null) {
                missing.add(route);
            }
        }
        return missing;
    }

    private static void assertEqualsCommitted(JsonNode served, Path committed) throws IOException {
        assertThat(committed)
                .as("docs/openapi.json is missing: write it with " + REFRESH)
                .exists();
        JsonNode expected = JSON.readTree(Files.readString(committed, StandardCharsets.UTF_8));
        List<String> differences = new ArrayList<>();
        differences("", expected, served, differences);
        assertThat(differences)
                .as("The served OpenAPI document differs from docs/openapi.json at these JSON pointers. If the API"
                        + " changed on purpose, refresh the file with: " + REFRESH + " (and commit it)")
                .isEmpty();
    }

    /** JSON pointers where two documents differ; objects compare regardless of key order. */
    private static void differences(String pointer, JsonNode expected, JsonNode actual, List<String> out) {
        if (out.size() >= 20) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>(expected.propertyNames());
            names.addAll(actual.propertyNames());
            for (String name : names) {
                String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name) || !actual.has(name)) {
                    out.add(child + (expected.has(name) ? " (gone)" : " (new)"));
                } else {
                    differences(child, expected.get(name), actual.get(name), out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                differences(pointer + "/" + i, expected.get(i), actual.get(i), out);
            }
        } else if (!expected.equals(actual)) {
            out.add(pointer.isEmpty() ? "/" : pointer);
        }
    }

    /** Keys in order at every level, so that the committed file diffs cleanly whatever order springdoc writes. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), sorted(field.getValue())));
            ObjectNode copy = JSON.createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /** {@code docs/openapi.json} of the project, found from the module the tests run in. */
    private static Path committedDocument() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("api-gateway"))) {
                return dir.resolve("docs").resolve("openapi.json");
            }
        }
        throw new IllegalStateException(
                "No docs/ directory above " + Path.of("").toAbsolutePath());
    }
}
