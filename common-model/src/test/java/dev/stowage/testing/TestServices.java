// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.stowage.model.RetryProperties;
import dev.stowage.model.Topology;
import dev.stowage.model.TopologyProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The real RabbitMQ and PostgreSQL the integration tests use, and one isolated namespace per test run: its own
 * topology prefix and its own schemas, dropped again by {@link #cleanUp()}, so runs never see each other and the
 * suite can run twice in a row.
 *
 * <p>Where the services are is decided once per JVM by {@link ServicePlace}: the ones on localhost that this
 * project's machines run, or containers. They must be reachable: a test that cannot reach them fails, it is
 * never skipped.
 */
public final class TestServices {

    /** Where the services are; it can also stop and start them, for the fault tests. */
    public final ServicePlace place = ServicePlace.get();

    public final String rabbitHost = place.rabbitHost();
    public final int rabbitPort = place.rabbitPort();
    public final String rabbitUser = place.rabbitUser();
    public final String rabbitPassword = place.rabbitPassword();
    /** RabbitMQ's management HTTP API, as the management UI uses it. */
    public final String rabbitManagementUrl = place.rabbitManagementUrl();
    /** RabbitMQ's own metrics (rabbitmq_prometheus). */
    public final String rabbitPrometheusUrl = place.rabbitPrometheusUrl();

    public final String dbUrl = place.dbUrl();
    public final String dbUser = place.dbUser();
    public final String dbPassword = place.dbPassword();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    public final String prefix = "stowage-test-" + run;
    public final String schema = "stowage_test_" + run;
    public final String datasetsSchema = "datasets_test_" + run;

    /** Bootstrap API keys of this run: an ADMIN and a USER of the default tenant, an ADMIN of tenant "other". */
    public final String adminKey = "test-admin-key-" + run;

    public final String userKey = "test-user-key-" + run;
    public final String otherTenantKey = "test-other-key-" + run;

    /** Short webhook retry tiers, so that a delivery's three tries take seconds, not an hour. */
    public static final List<Duration> WEBHOOK_RETRY_DELAYS = List.of(Duration.ofMillis(500), Duration.ofSeconds(1));

    private TestServices() {}

    /** A fresh namespace on the services of this JVM. */
    public static TestServices isolated() {
        return new TestServices();
    }

    /** Spring properties that point a service at this run's namespace. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.rabbitmq.host", rabbitHost);
        properties.put("spring.rabbitmq.port", Integer.toString(rabbitPort));
        properties.put("spring.rabbitmq.username", rabbitUser);
        properties.put("spring.rabbitmq.password", rabbitPassword);
        properties.put("spring.datasource.url", dbUrl);
        properties.put("spring.datasource.username", dbUser);
        properties.put("spring.datasource.password", dbPassword);
        properties.put("stowage.topology.prefix", prefix);
        properties.put("stowage.db.schema", schema);
        properties.put("stowage.datasets.schema", datasetsSchema);
        properties.put(
                "stowage.api.keys",
                adminKey + "=default:ADMIN," + userKey + "=default:USER," + otherTenantKey + "=other:ADMIN");
        properties.put(
                "stowage.webhook.retry-delays",
                String.join(
                        ",",
                        WEBHOOK_RETRY_DELAYS.stream()
                                .map(delay -> delay.toMillis() + "ms")
                                .toList()));
        // The tests' receivers listen on 127.0.0.1, plain http: allowed here, refused by default.
        properties.put("stowage.webhook.allow-http", "true");
        properties.put("stowage.webhook.allowed-hosts", "127.0.0.1");
        properties.put("stowage.webhook.interval", "200ms");
        return properties;
    }

    /** The same as environment variables, the way operators configure the jars. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        properties()
                .forEach((key, value) -> environment.put(
                        key.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", ""), value));
        return environment;
    }

    public Topology topology() {
        return Topology.of(new TopologyProperties(prefix, 10), new RetryProperties(3, Duration.ofSeconds(1), 2));
    }

    public Connection database() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPassword);
    }

    public com.rabbitmq.client.Connection broker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbitHost);
        factory.setPort(rabbitPort);
        factory.setUsername(rabbitUser);
        factory.setPassword(rabbitPassword);
        return factory.newConnection("stowage-tests");
    }

    /** The single number a query answers, e.g. a {@code count(*)}. */
    public long count(String sql) throws SQLException {
        try (Connection db = database();
                java.sql.ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether a queue holds a message of this file; looks at every message and puts each back. */
    public boolean holdsMessageOf(String queue, String fileId) throws Exception {
        try (var connection = broker();
                Channel channel = connection.createChannel()) {
            long depth = channel.queueDeclarePassive(queue).getMessageCount();
            boolean found = false;
            for (long i = 0; i < depth; i++) {
                com.rabbitmq.client.GetResponse message = channel.basicGet(queue, false);
                if (message == null) {
                    break;
                }
                Object id = message.getProps().getHeaders() == null
                        ? null
                        : message.getProps().getHeaders().get(Topology.FILE_ID_HEADER);
                found |= id != null && id.toString().equals(fileId);
            }
            channel.basicRecover(true); // everything fetched goes back to the queue
            return found;
        }
    }

    /** Messages ready in a queue of this run. */
    public long messageCount(String queue) throws Exception {
        try (var connection = broker();
                Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /**
     * Moves every message of one queue to another the way the management UI's "Move messages" does: a dynamic
     * shovel that deletes itself once it has moved what was there (needs the rabbitmq_shovel plugins).
     */
    public void moveMessages(String fromQueue, String toQueue) throws Exception {
        String name = "stowage-test-move-" + UUID.randomUUID();
        String body = ("{\"value\":{\"src-protocol\":\"amqp091\",\"src-uri\":\"amqp://\",\"src-queue\":\"%s\","
                        + "\"src-delete-after\":\"queue-length\",\"dest-protocol\":\"amqp091\",\"dest-uri\":\"amqp://\","
                        + "\"dest-queue\":\"%s\"}}")
                .formatted(fromQueue, toQueue);
        String credentials = Base64.getEncoder()
                .encodeToString((rabbitUser + ":" + rabbitPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(rabbitManagementUrl + "/api/parameters/shovel/%2F/" + name))
                                .header("Authorization", "Basic " + credentials)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Creating the shovel failed (" + response.statusCode() + "): "
                    + response.body() + ". Is rabbitmq_shovel_management enabled (deploy/local/ensure-services.sh)?");
        }
    }

    /** Drops this run's schemas, queues and exchanges. */
    public void cleanUp() throws Exception {
        try (Connection db = database();
                Statement statement = db.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
            statement.execute("drop schema if exists " + datasetsSchema + " cascade");
            // Other tenants' schemas: <datasets schema>__<tenant>.
            try (ResultSet tenants = db.createStatement()
                    .executeQuery(
                            "select nspname from pg_namespace where nspname like '" + datasetsSchema + "\\_\\_%'")) {
                while (tenants.next()) {
                    db.createStatement().execute("drop schema if exists " + tenants.getString(1) + " cascade");
                }
            }
        }
        Topology topology = topology();
        try (var connection = broker()) {
            List<String> queues = new ArrayList<>(topology.queues());
            queues.addAll(topology.webhookQueues(WEBHOOK_RETRY_DELAYS));
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                }
            }
            List<String> exchanges = new ArrayList<>(topology.exchanges());
            exchanges.addAll(topology.webhookExchanges());
            for (String exchange : exchanges) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                }
            }
        }
    }
}
