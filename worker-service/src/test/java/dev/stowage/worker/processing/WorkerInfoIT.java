// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.BuildExpectations;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker's own port, as Prometheus and the probes reach it, against the real broker and database: {@code
 * /actuator/info} names the version the POM gave the build and the commit it was built from, without a key, like
 * health; endpoints that are not exposed answer 404.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the only worker context with a web server: do not leave it consuming after this class
class WorkerInfoIT {

    static final TestServices services = TestServices.isolated();

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

    @Test
    void infoNamesTheBuildsVersionAndCommit() {
        StowageClient worker =
                new StowageClient(URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")), null);
        Answer info = worker.get("/actuator/info");
        assertThat(info.status()).isEqualTo(200);
        BuildExpectations.assertInfoMatchesBuild(info.json(), "worker-service");
        assertThat(worker.get("/actuator/health").status()).isEqualTo(200);
        for (String hidden : List.of("env", "beans", "configprops", "loggers")) {
            assertThat(worker.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
    }
}
