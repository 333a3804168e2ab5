// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ and PostgreSQL running on this host (or where {@code STOWAGE_TEST_RABBIT_*} and
 * {@code STOWAGE_TEST_DB_*} point). Stopping them for the fault tests runs {@code rabbitmqctl} and
 * {@code pg_ctlcluster}, so it needs root and interrupts anyone else using them.
 */
final class LocalServices implements ServicePlace {

    private final String rabbitHost = env("STOWAGE_TEST_RABBIT_HOST", "127.0.0.1");
    private final int rabbitPort = Integer.parseInt(env("STOWAGE_TEST_RABBIT_PORT", "5672"));
    private final String rabbitUser = env("STOWAGE_TEST_RABBIT_USER", "guest");
    private final String rabbitPassword = env("STOWAGE_TEST_RABBIT_PASSWORD", "guest");
    private final String managementUrl = env("STOWAGE_TEST_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:15672");
    private final String prometheusUrl = env("STOWAGE_TEST_RABBIT_PROMETHEUS_URL", "http://127.0.0.1:15692");
    private final String dbUrl = env("STOWAGE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private final String dbUser = env("STOWAGE_TEST_DB_USER", "postgres");
    private final String dbPassword = env("STOWAGE_TEST_DB_PASSWORD", "");

    /** Whether both services answer where this place says they are. */
    static boolean reachable() {
        LocalServices local = new LocalServices();
        return ServicePlace.answers(local.rabbitHost, local.rabbitPort)
                && ServicePlace.answers(local.dbHost(), local.dbPort());
    }

    /** The local services, or a failure that says how to start them: an unreachable service is never skipped. */
    static LocalServices requireReachable() {
        LocalServices local = new LocalServices();
        require("RabbitMQ", local.rabbitHost, local.rabbitPort, "rabbitmq-server -detached");
        require(
                "PostgreSQL",
                local.dbHost(),
                local.dbPort(),
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        return local;
    }

    @Override
    public String rabbitHost() {
        return rabbitHost;
    }

    @Override
    public int rabbitPort() {
        return rabbitPort;
    }

    @Override
    public String rabbitUser() {
        return rabbitUser;
    }

    @Override
    public String rabbitPassword() {
        return rabbitPassword;
    }

    @Override
    public String rabbitManagementUrl() {
        return managementUrl;
    }

    @Override
    public String rabbitPrometheusUrl() {
        return prometheusUrl;
    }

    @Override
    public String dbUrl() {
        return dbUrl;
    }

    @Override
    public String dbUser() {
        return dbUser;
    }

    @Override
    public String dbPassword() {
        return dbPassword;
    }

    @Override
    public void stopBroker() throws Exception {
        run("rabbitmqctl", "stop_app");
    }

    @Override
    public void startBroker() throws Exception {
        run("rabbitmqctl", "start_app");
    }

    @Override
    public void stopDatabase() throws Exception {
        run("pg_ctlcluster", "--skip-systemctl-redirect", clusterVersion(), "main", "stop");
    }

    @Override
    public void startDatabase() throws Exception {
        run("pg_ctlcluster", "--skip-systemctl-redirect", clusterVersion(), "main", "start");
    }

    private String dbHost() {
        return URI.create(dbUrl.substring("jdbc:".length())).getHost();
    }

    private int dbPort() {
        int port = URI.create(dbUrl.substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    private static String clusterVersion() throws Exception {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString())
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void require(String what, String host, int port, String howToStart) {
        if (!ServicePlace.answers(host, port)) {
            throw new IllegalStateException(("%s is not reachable at %s:%d. The integration tests need it: start it"
                            + " (%s), point STOWAGE_TEST_* at one, or run them in containers (mvn verify -Pcontainers).")
                    .formatted(what, host, port, howToStart));
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
