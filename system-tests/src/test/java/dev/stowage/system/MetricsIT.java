// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metrics the services export, checked by what they count: files processed and dead-lettered, retries by tier,
 * queue depths and job latency after real work. Then every metric the Grafana dashboard and the Prometheus alert
 * rules query must be one that the gateway, the workers or RabbitMQ's own endpoint really export.
 */
class MetricsIT {

    /** Metric names in PromQL: ours, RabbitMQ's and the JVM/HTTP ones Spring exports. */
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:stowage|rabbitmq|http_server|jvm|process|hikaricp|executor)_[a-zA-Z0-9_]+)");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TestServices services;
    static StowageClient api;
    static List<URI> workers = new ArrayList<>();
    static URI gateway;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
        gateway = stack.processes.get(0).base();
        stack.processes.subList(1, stack.processes.size()).forEach(p -> workers.add(p.base()));
    }

    @Test
    void countersFollowTheWorkDone() throws Exception {
        double doneBefore = workerSum("stowage_files_processed_total{", "outcome=\"done\"");
        double deadBefore = workerSum("stowage_dead_letters_total{", "error_class=\"InvalidJson\"");
        double retriesBefore = workerSum("stowage_retries_total{", "tier=\"1000ms\"");

        Multipart upload = new Multipart().field("dataset", "metered");
        for (int i = 0; i < 7; i++) {
            upload.file("files", i + ".json", "application/json", utf8("[{\"n\":" + i + "}]"));
        }
        upload.file("files", "bad.json", "application/json", Corpora.bytes("jsontestsuite/n_array_extra_comma.json"));
        String jobId = Jobs.upload(api, upload);
        assertThat(Jobs.awaitEnded(api, jobId).get("status").asString()).isEqualTo("PARTIALLY_FAILED");
        retryOnce();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            // 7 good files of the job, then the two of retryOnce (the second after one retry).
            assertThat(workerSum("stowage_files_processed_total{", "outcome=\"done\"") - doneBefore)
                    .isEqualTo(9);
            assertThat(workerSum("stowage_dead_letters_total{", "error_class=\"InvalidJson\"") - deadBefore)
                    .isEqualTo(1);
            assertThat(workerSum("stowage_retries_total{", "tier=\"1000ms\"") - retriesBefore)
                    .isGreaterThanOrEqualTo(1);
            String gatewayMetrics = scrape(gateway.resolve("/actuator/prometheus"));
            assertThat(sum(gatewayMetrics, "stowage_job_duration_seconds_count{", "outcome=\"PARTIALLY_FAILED\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(sum(gatewayMetrics, "stowage_queue_consumers{", "role=\"work\""))
                    .isEqualTo(8);
            assertThat(sum(gatewayMetrics, "stowage_queue_messages{", "role=\"dlq\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(sum(gatewayMetrics, "stowage_queue_oldest_age_seconds{", "role=\"dlq\""))
                    .isGreaterThan(0);
        });
        String worker = scrape(workers.get(0).resolve("/actuator/prometheus"));
        assertThat(worker).contains("stowage_phase_seconds_bucket{", "phase=\"analyze\"", "phase=\"store\"");
        assertThat(worker).contains("stowage_bytes_stored_total{", "stowage_records_stored_total{");
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        countersFollowTheWorkDone(); // so that every labelled series exists at least once
        Set<String> exported = new TreeSet<>();
        exported.addAll(names(scrape(gateway.resolve("/actuator/prometheus"))));
        for (URI worker : workers) {
            exported.addAll(names(scrape(worker.resolve("/actuator/prometheus"))));
        }
        exported.addAll(names(scrape(URI.create(services.rabbitPrometheusUrl + "/metrics"))));
        exported.addAll(names(scrape(URI.create(services.rabbitPrometheusUrl + "/metrics/per-object"))));

        Path deploy = Path.of("..", "deploy").toAbsolutePath().normalize();
        JsonNode dashboard = JsonMapper.shared()
                .readTree(deploy.resolve("grafana/dashboards/stowage.json").toFile());
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard, expressions);
        assertThat(expressions).as("the dashboard's panel queries").hasSizeGreaterThan(5);
        Set<String> queried = new TreeSet<>();
        expressions.forEach(expression -> queried.addAll(metrics(expression)));
        queried.addAll(metrics(Files.readString(deploy.resolve("prometheus/alerts.yml"))));

        assertThat(queried).as("metrics the dashboard and alerts query").isNotEmpty();
        assertThat(exported).as("exported metrics").containsAll(queried);
    }

    private static void retryOnce() throws Exception {
        String first = Jobs.upload(
                api,
                new Multipart()
                        .field("dataset", "retried")
                        .file("files", "a.json", "application/json", utf8("[{\"v\":1}]")));
        assertThat(Jobs.awaitEnded(api, first).get("status").asString()).isEqualTo("DONE");
        try (Connection locker = services.database()) {
            locker.setAutoCommit(false);
            locker.createStatement()
                    .execute("lock table " + services.datasetsSchema + ".retried in access exclusive mode");
            String jobId = Jobs.upload(
                    api,
                    new Multipart()
                            .field("dataset", "retried")
                            .file("files", "b.json", "application/json", utf8("[{\"v\":2}]")));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.get("/api/v1/jobs/" + jobId)
                                            .json()
                                            .get("progress")
                                            .get("retrying")
                                            .asInt()
                                    > 0
                            || services.count("select count(*) from " + services.schema
                                            + ".attempts a join " + services.schema + ".files f on f.id = a.file_id"
                                            + " where f.job_id = '" + jobId + "' and a.outcome = 'RETRY'")
                                    > 0);
            locker.rollback();
            assertThat(Jobs.awaitEnded(api, jobId).get("status").asString()).isEqualTo("DONE");
        }
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("expr") && field.getValue().isString()) {
                    into.add(field.getValue().asString());
                } else {
                    collectExpressions(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectExpressions(element, into));
        }
    }

    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The metric names of a Prometheus text exposition (histograms as their _bucket, _count, _sum series). */
    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static double workerSum(String series, String label) throws Exception {
        double total = 0;
        for (URI worker : workers) {
            total += sum(scrape(worker.resolve("/actuator/prometheus")), series, label);
        }
        return total;
    }

    /** The sum of every sample of {@code series} (name and opening brace) whose labels contain {@code label}. */
    private static double sum(String exposition, String series, String label) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series) && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String scrape(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
