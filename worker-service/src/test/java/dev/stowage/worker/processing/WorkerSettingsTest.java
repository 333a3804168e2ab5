// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.DatabaseProperties;
import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.RetryProperties;
import dev.stowage.model.TopologyProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The documented environment variables bind to the settings, and the defaults are the documented ones. */
class WorkerSettingsTest {

    @Test
    void documentedEnvironmentVariablesBind() {
        Binder binder = binder(Map.of(
                "STOWAGE_WORKER_CONCURRENCY", "7",
                "STOWAGE_WORKER_PREFETCH", "3",
                "STOWAGE_WORKER_BATCH_SIZE", "25",
                "STOWAGE_WORKER_LOCK_TIMEOUT", "5s",
                "STOWAGE_WORKER_STATEMENT_TIMEOUT", "1m",
                "STOWAGE_RETRY_MAX_RETRIES", "2",
                "STOWAGE_RETRY_INITIAL_DELAY", "500ms",
                "STOWAGE_TOPOLOGY_PREFIX", "blue",
                "STOWAGE_DB_SCHEMA", "blue_stowage",
                "STOWAGE_DATASETS_SCHEMA", "blue_datasets"));

        WorkerSettings worker = binder.bindOrCreate("stowage.worker", WorkerSettings.class);
        assertThat(worker.concurrency()).isEqualTo(7);
        assertThat(worker.prefetch()).isEqualTo(3);
        assertThat(worker.batchSize()).isEqualTo(25);
        assertThat(worker.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(worker.statementTimeout()).isEqualTo(Duration.ofMinutes(1));
        RetryProperties retry = binder.bindOrCreate("stowage.retry", RetryProperties.class);
        assertThat(retry.delays()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        assertThat(binder.bindOrCreate("stowage.topology", TopologyProperties.class)
                        .prefix())
                .isEqualTo("blue");
        assertThat(binder.bindOrCreate("stowage.db", DatabaseProperties.class).schema())
                .isEqualTo("blue_stowage");
        assertThat(binder.bindOrCreate("stowage.datasets", DatasetsProperties.class)
                        .schema())
                .isEqualTo("blue_datasets");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Binder binder = binder(Map.of());
        WorkerSettings worker = binder.bindOrCreate("stowage.worker", WorkerSettings.class);
        assertThat(worker.concurrency()).isEqualTo(4);
        assertThat(worker.lockTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(binder.bindOrCreate("stowage.retry", RetryProperties.class).delays())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(binder.bindOrCreate("stowage.topology", TopologyProperties.class)
                        .prefix())
                .isEqualTo("stowage");
        assertThat(binder.bindOrCreate("stowage.db", DatabaseProperties.class).schema())
                .isEqualTo("stowage");
        assertThat(binder.bindOrCreate("stowage.datasets", DatasetsProperties.class)
                        .schema())
                .isEqualTo("datasets");
    }

    private static Binder binder(Map<String, Object> environment) {
        return new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource("env", environment)));
    }
}
