// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import com.zaxxer.hikari.HikariDataSource;
import dev.stowage.model.Topology;
import java.time.Duration;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The consumers of the work queue: {@code concurrency} of them, each with a bounded prefetch, taking up to {@code
 * batchSize} messages at a time, manual acks.
 */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    private static final Duration BATCH_WAIT = Duration.ofMillis(10);

    @Bean
    SimpleMessageListenerContainer workConsumers(
            ConnectionFactory connections, Topology topology, WorkerSettings settings, WorkListener listener) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(topology.workQueue());
        container.setConcurrentConsumers(settings.concurrency());
        container.setPrefetchCount(settings.prefetch()); // raised to the batch size if lower
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(settings.batchSize());
        // A batch is what has arrived: the wait for each further message (and for the first, between checks of the
        // container's state) is short, so that a lone file is not held back waiting for company.
        container.setReceiveTimeout(BATCH_WAIT.toMillis());
        container.setBatchReceiveTimeout(BATCH_WAIT.toMillis());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setDefaultRequeueRejected(false);
        container.setShutdownTimeout(settings.shutdownTimeout().toMillis());
        // Keep trying while the broker or the queue is not there yet, instead of failing the start-up.
        container.setMissingQueuesFatal(false);
        container.setMessageListener(listener);
        return container;
    }

    /**
     * The worker's database connections: every one bounds its lock waits and statements
     * ({@code STOWAGE_WORKER_LOCK_TIMEOUT}, {@code STOWAGE_WORKER_STATEMENT_TIMEOUT}; a timeout is a transient
     * failure), set once per connection rather than per transaction. And each consumer may hold two at once: the
     * storing transaction's, and the one that streams a large file's chunks into its COPY; Hikari's default pool of
     * 10 fits 4 consumers, a higher concurrency gets the pool it needs unless a larger one is configured.
     */
    @Bean
    static BeanPostProcessor workerConnections(Environment environment) {
        WorkerSettings settings = Binder.get(environment).bindOrCreate("stowage.worker", WorkerSettings.class);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    pool.setConnectionInitSql("set lock_timeout = %d; set statement_timeout = %d"
                            .formatted(
                                    settings.lockTimeout().toMillis(),
                                    settings.statementTimeout().toMillis()));
                    pool.setMaximumPoolSize(Math.max(pool.getMaximumPoolSize(), 2 * settings.concurrency() + 2));
                }
                return bean;
            }
        };
    }
}
