// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * RabbitMQ and PostgreSQL in containers (Testcontainers), started once per test JVM and removed when it exits.
 *
 * <p>The images are settings with the official images as defaults: {@code stowage.test.rabbitmq-image} /
 * {@code STOWAGE_TEST_RABBITMQ_IMAGE} ({@value #RABBITMQ_IMAGE}) and {@code stowage.test.postgres-image} /
 * {@code STOWAGE_TEST_POSTGRES_IMAGE} ({@value #POSTGRES_IMAGE}); on a host that cannot pull them, point them at
 * the stand-ins of {@code deploy/docker/build-images.sh --local-deps}. Every port is published on 127.0.0.1
 * only. PostgreSQL's host port is fixed for the container's life, so that the fault tests can stop and start it
 * and the services find it again where they left it.
 */
final class ContainerServices implements ServicePlace {

    static final String RABBITMQ_IMAGE = "rabbitmq:4.1-management";
    static final String POSTGRES_IMAGE = "postgres:16";
    /** The plugins of deploy/rabbitmq/enabled_plugins: management, Prometheus endpoint, shovels ("Move messages"). */
    private static final String PLUGINS =
            "[rabbitmq_management,rabbitmq_prometheus,rabbitmq_shovel,rabbitmq_shovel_management].";

    private static final int AMQP = 5672;
    private static final int MANAGEMENT = 15672;
    private static final int PROMETHEUS = 15692;
    private static final String LOOPBACK = "127.0.0.1";

    private final RabbitMQContainer rabbit;
    private final PostgreSQLContainer postgres;
    private final int dbPort = freePort();

    private ContainerServices() {
        String rabbitImage =
                ServicePlace.setting("stowage.test.rabbitmq-image", "STOWAGE_TEST_RABBITMQ_IMAGE", RABBITMQ_IMAGE);
        String postgresImage =
                ServicePlace.setting("stowage.test.postgres-image", "STOWAGE_TEST_POSTGRES_IMAGE", POSTGRES_IMAGE);
        rabbit = new RabbitMQContainer(DockerImageName.parse(rabbitImage).asCompatibleSubstituteFor("rabbitmq"))
                .withCopyToContainer(Transferable.of(PLUGINS), "/etc/rabbitmq/enabled_plugins")
                .withCreateContainerCmdModifier(ContainerServices::publishOnLoopback)
                .withStartupTimeout(Duration.ofMinutes(2));
        rabbit.addExposedPort(PROMETHEUS);
        postgres = new PostgreSQLContainer(DockerImageName.parse(postgresImage).asCompatibleSubstituteFor("postgres"))
                // Each test JVM runs several services with a connection pool of their own.
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300")
                .withCreateContainerCmdModifier(command -> command.getHostConfig()
                        .withPublishAllPorts(false)
                        .withPortBindings(new PortBinding(
                                Ports.Binding.bindIpAndPort(LOOPBACK, dbPort),
                                ExposedPort.tcp(PostgreSQLContainer.POSTGRESQL_PORT))))
                .withStartupTimeout(Duration.ofMinutes(2));
    }

    static ContainerServices start() {
        ContainerServices services = new ContainerServices();
        // Ryuk (Testcontainers' reaper) may be disabled where its image cannot be pulled: remove them ourselves.
        Runtime.getRuntime().addShutdownHook(new Thread(services::stop, "stop-test-containers"));
        Startables.deepStart(services.rabbit, services.postgres).join();
        return services;
    }

    @Override
    public String rabbitHost() {
        return LOOPBACK;
    }

    @Override
    public int rabbitPort() {
        return rabbit.getMappedPort(AMQP);
    }

    @Override
    public String rabbitUser() {
        return rabbit.getAdminUsername();
    }

    @Override
    public String rabbitPassword() {
        return rabbit.getAdminPassword();
    }

    @Override
    public String rabbitManagementUrl() {
        return "http://" + LOOPBACK + ":" + rabbit.getMappedPort(MANAGEMENT);
    }

    @Override
    public String rabbitPrometheusUrl() {
        return "http://" + LOOPBACK + ":" + rabbit.getMappedPort(PROMETHEUS);
    }

    @Override
    public String dbUrl() {
        return "jdbc:postgresql://" + LOOPBACK + ":" + dbPort + "/" + postgres.getDatabaseName();
    }

    @Override
    public String dbUser() {
        return postgres.getUsername();
    }

    @Override
    public String dbPassword() {
        return postgres.getPassword();
    }

    @Override
    public void stopBroker() throws Exception {
        exec(rabbit, "rabbitmqctl", "stop_app");
    }

    @Override
    public void startBroker() throws Exception {
        exec(rabbit, "rabbitmqctl", "start_app");
    }

    @Override
    public void stopDatabase() {
        docker().stopContainerCmd(postgres.getContainerId()).exec();
    }

    @Override
    public void startDatabase() {
        docker().startContainerCmd(postgres.getContainerId()).exec();
    }

    private void stop() {
        postgres.stop();
        rabbit.stop();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static void exec(GenericContainer<?> container, String... command) throws Exception {
        Container.ExecResult result = container.execInContainer(command);
        if (result.getExitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed: " + result.getStdout() + result.getStderr());
        }
    }

    /** Every exposed port on a random port of 127.0.0.1 instead of every interface. */
    private static void publishOnLoopback(CreateContainerCmd command) {
        command.getHostConfig()
                .withPublishAllPorts(false)
                .withPortBindings(Arrays.stream(command.getExposedPorts())
                        .map(port -> new PortBinding(Ports.Binding.bindIp(LOOPBACK), port))
                        .toList());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
