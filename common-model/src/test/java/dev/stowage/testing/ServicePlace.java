// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Where the integration tests' RabbitMQ and PostgreSQL run, decided once per test JVM by
 * {@code stowage.test.services} (system property) or {@code STOWAGE_TEST_SERVICES}:
 *
 * <ul>
 *   <li>{@code local}: the services on this host ({@link LocalServices}, {@code STOWAGE_TEST_*} say where);
 *   <li>{@code containers}: RabbitMQ and PostgreSQL started by Testcontainers ({@link ContainerServices}), what
 *       {@code mvn verify -Pcontainers} forces;
 *   <li>{@code auto} (the default): local when both answer on localhost, else containers, so {@code mvn verify}
 *       works on a machine with only Docker.
 * </ul>
 *
 * Besides the addresses, a place can stop and start each service, for the fault tests.
 */
public interface ServicePlace {

    String rabbitHost();

    int rabbitPort();

    String rabbitUser();

    String rabbitPassword();

    /** RabbitMQ's management HTTP API, as the management UI uses it. */
    String rabbitManagementUrl();

    /** RabbitMQ's Prometheus endpoint (rabbitmq_prometheus). */
    String rabbitPrometheusUrl();

    String dbUrl();

    String dbUser();

    String dbPassword();

    /** Stops the broker's application (connections drop, the port refuses), as an outage would. */
    void stopBroker() throws Exception;

    void startBroker() throws Exception;

    /** Stops the database server (a clean fast shutdown). */
    void stopDatabase() throws Exception;

    void startDatabase() throws Exception;

    /** The decision for this JVM: one place, made once. */
    static ServicePlace get() {
        return Holder.PLACE;
    }

    final class Holder {
        private static final ServicePlace PLACE = decide();

        private Holder() {}

        private static ServicePlace decide() {
            String mode = setting("stowage.test.services", "STOWAGE_TEST_SERVICES", "auto")
                    .toLowerCase(Locale.ROOT);
            return switch (mode) {
                case "local" -> LocalServices.requireReachable();
                case "containers" -> ContainerServices.start();
                case "auto" -> LocalServices.reachable() ? new LocalServices() : ContainerServices.start();
                default ->
                    throw new IllegalStateException("stowage.test.services / STOWAGE_TEST_SERVICES is '" + mode
                            + "': use local, containers or auto");
            };
        }
    }

    /** A system property, else an environment variable, else the fallback. */
    static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
