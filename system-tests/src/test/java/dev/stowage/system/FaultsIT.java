// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults caused for real against the jars and the tests' RabbitMQ and PostgreSQL (the host's, which needs root, or
 * the containers of {@code -Pcontainers}), while a few hundred files are uploaded: a worker killed with -9, the broker stopped and started, the database restarted, every worker
 * restarted in turn with SIGTERM. At the end each scenario counts accepted, done, failed, lost (accepted, never
 * ended) and duplicated (files with more rows than records), prints them, and fails on any lost or duplicated file.
 */
class FaultsIT {

    private static final int FILES = 300;
    private static final int PER_REQUEST = 20;
    /** Enough rows per file that a backlog builds and the fault finds files in flight. */
    private static final int RECORDS = 1000;

    static TestServices services;
    static Map<String, String> environment;
    static List<ServiceProcess> workers = new ArrayList<>();
    static ServiceProcess gateway;
    static StowageClient api;
    static int started;

    @BeforeAll
    static void startStack() {
        services = TestServices.isolated();
        environment = services.environment();
        // Quick reconciliation so that the scenarios end within the test's time; the defaults are minutes.
        environment.put("STOWAGE_OUTBOX_INTERVAL", "1s");
        environment.put("STOWAGE_OUTBOX_PUBLISH_AFTER", "3s");
        environment.put("STOWAGE_OUTBOX_REDRIVE_AFTER", "20s");
        gateway = ServiceProcess.start("faults-gateway", "api-gateway", environment);
        gateway.awaitHealthy();
        startWorker();
        startWorker();
        api = new StowageClient(gateway.base(), services.adminKey);
    }

    @AfterAll
    static void stopStack() throws Exception {
        for (ServiceProcess process : workers) {
            process.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        services.cleanUp();
    }

    @Test
    void aWorkerKilledMidBatchLosesAndDuplicatesNothing() throws Exception {
        Counts counts = scenario("kill9", () -> {
            ServiceProcess victim = workers.get(0);
            String table = services.datasetsSchema + ".kill9";
            await().atMost(Duration.ofSeconds(30)).until(() -> tableExists(table));
            // Hold the table so that files stay in flight (waiting in COPY), then kill the worker holding one.
            try (Connection locker = services.database()) {
                locker.setAutoCommit(false);
                locker.createStatement().execute("lock table " + table + " in share mode");
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> filesInFlight(victim) > 0);
                victim.kill();
                locker.rollback();
            }
            startWorker();
        });
        assertThat(counts.lost).isZero();
        assertThat(counts.duplicated).isZero();
        assertThat(counts.failed).isZero();
    }

    @Test
    void theBrokerStoppedAndStartedMidBatchLosesNothing() throws Exception {
        Counts counts = scenario("broker", () -> {
            services.place.stopBroker();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/actuator/health").status() == 503);
            Thread.sleep(3000); // uploads go on meanwhile, into the outbox
            services.place.startBroker();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("/actuator/health").status() == 200);
        });
        assertThat(counts.lost).isZero();
        assertThat(counts.duplicated).isZero();
    }

    @Test
    void theDatabaseRestartedMidBatchLosesNothing() throws Exception {
        Counts counts = scenario("postgres", () -> {
            services.place.stopDatabase();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/actuator/health").status() == 503);
            // not ready either: a load balancer sends no uploads to a gateway that cannot store them
            assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);
            services.place.startDatabase();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("/actuator/health").status() == 200);
        });
        assertThat(counts.lost).isZero();
        assertThat(counts.duplicated).isZero();
    }

    @Test
    void everyWorkerRestartedInTurnWithSigtermLosesAndDuplicatesNothing() throws Exception {
        Counts counts = scenario("rolling", () -> {
            for (ServiceProcess old : new ArrayList<>(workers)) {
                assertThat(old.terminate(60))
                        .as(old.name + " stopped by itself after SIGTERM")
                        .isTrue();
                workers.remove(old);
                startWorker();
            }
        });
        assertThat(counts.lost).isZero();
        assertThat(counts.duplicated).isZero();
        assertThat(counts.failed).isZero();
    }

    interface Fault {
        void inject() throws Exception;
    }

    record Counts(long accepted, long done, long failed, long lost, long duplicated, Map<String, Long> attempts) {}

    /**
     * Uploads FILES files into their own dataset; once a third is accepted and files are being processed, the
     * fault happens while the rest is still uploaded; then counts.
     */
    private static Counts scenario(String dataset, Fault fault) throws Exception {
        List<String> jobs = new ArrayList<>();
        CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> {
            for (int batch = 0; batch < FILES / PER_REQUEST; batch++) {
                Multipart request = new Multipart().field("dataset", dataset);
                for (int i = 0; i < PER_REQUEST; i++) {
                    request.file("files", "f-%d-%d.json".formatted(batch, i), "application/json", records(batch, i));
                }
                // Like a client: a 503 (database away) is retried until the upload is accepted.
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            StowageClient.Answer answer = api.upload(request);
                            if (answer.status() == 202) {
                                synchronized (jobs) {
                                    jobs.add(answer.json().get("jobId").asString());
                                }
                                return true;
                            }
                            return false;
                        });
            }
        });
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<String> accepted;
                    synchronized (jobs) {
                        accepted = List.copyOf(jobs);
                    }
                    return accepted.size() >= FILES / PER_REQUEST / 3 && storing(accepted);
                });
        fault.inject();
        uploads.get(3, TimeUnit.MINUTES);

        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> unfinished(jobs) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // counted below as lost
        }
        Counts counts = count(dataset, jobs);
        System.out.printf(
                "FAULT %-8s accepted=%d done=%d failed=%d lost=%d duplicated=%d attempts=%s%n",
                dataset, counts.accepted, counts.done, counts.failed, counts.lost, counts.duplicated, attempts(jobs));
        if (counts.lost > 0) {
            for (String job : jobs) {
                System.out.print(Diagnostics.unfinished(services, job));
            }
        }
        return counts;
    }

    private static boolean tableExists(String table) throws Exception {
        return services.count("select count(*) from pg_class where oid = to_regclass('" + table + "')") > 0;
    }

    /** The worker's own count of the files it holds (its in-flight gauge): files the kill will cut short. */
    private static double filesInFlight(ServiceProcess worker) {
        String metrics = new String(
                new StowageClient(worker.base(), "").get("/actuator/prometheus").bytes(), StandardCharsets.UTF_8);
        return metrics.lines()
                .filter(line -> line.startsWith("stowage_files_in_flight"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * Whether the workers are at it: some of the jobs' files have been stored (or are being stored) and some wait.
     * A small file's first try goes from QUEUED to DONE without showing PROCESSING, so DONE files are the sign.
     */
    private static boolean storing(List<String> jobs) throws Exception {
        return services.count("select count(*) from " + services.schema + ".files where status in ('PROCESSING',"
                                + " 'DONE') and " + inJobs(jobs))
                        > 0
                && unfinished(jobs) > 0;
    }

    private static long unfinished(List<String> jobs) throws Exception {
        return services.count("select count(*) from " + services.schema + ".files where status not in"
                + " ('DONE', 'FAILED') and " + inJobs(jobs));
    }

    private static String inJobs(List<String> jobs) {
        return "job_id::text in ('" + String.join("','", jobs) + "')";
    }

    /** How the scenario's attempts ended: shows that the fault hit files in flight (LOST, RETRY, DUPLICATE). */
    private static Map<String, Long> attempts(List<String> jobs) throws Exception {
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        try (Connection db = services.database();
                ResultSet rs = db.createStatement()
                        .executeQuery("select coalesce(a.outcome, 'open'), count(*) from " + services.schema
                                + ".attempts a join " + services.schema
                                + ".files f on f.id = a.file_id where f.job_id::text in ('"
                                + String.join("','", jobs) + "') group by 1")) {
            while (rs.next()) {
                outcomes.put(rs.getString(1), rs.getLong(2));
            }
        }
        return outcomes;
    }

    private static Counts count(String dataset, List<String> jobs) throws Exception {
        Map<String, Long> status = new HashMap<>();
        long duplicated;
        try (Connection db = services.database()) {
            String inJobs = "job_id::text in ('" + String.join("','", jobs) + "')";
            try (ResultSet rs = db.createStatement()
                    .executeQuery("select status, count(*) from " + services.schema + ".files where " + inJobs
                            + " group by status")) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = db.createStatement()
                    .executeQuery("select count(*) from (select _file_id from " + services.datasetsSchema + "."
                            + dataset + " group by _file_id having count(*) > " + RECORDS + ") d")) {
                rs.next();
                duplicated = rs.getLong(1);
            }
        }
        long accepted = status.values().stream().mapToLong(Long::longValue).sum();
        long done = status.getOrDefault("DONE", 0L);
        long failed = status.getOrDefault("FAILED", 0L);
        assertThat(accepted).isEqualTo(FILES);
        return new Counts(accepted, done, failed, accepted - done - failed, duplicated, attempts(jobs));
    }

    private static byte[] records(int batch, int file) {
        StringBuilder json = new StringBuilder("[");
        for (int r = 0; r < RECORDS; r++) {
            json.append(r == 0 ? "" : ",")
                    .append("{\"batch\":%d,\"file\":%d,\"row\":%d,\"text\":\"some text for row %d\"}"
                            .formatted(batch, file, r, r));
        }
        return json.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void startWorker() {
        ServiceProcess worker = ServiceProcess.start("faults-worker-" + ++started, "worker-service", environment);
        worker.awaitHealthy();
        workers.add(worker);
    }
}
