package dev.stowage.worker.processing;

import dev.stowage.model.Topology;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The consumers of the work queue: {@code concurrency} of them, each with a bounded prefetch, manual acks. */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    @Bean
    SimpleMessageListenerContainer workConsumers(
            ConnectionFactory connections, Topology topology, WorkerSettings settings, WorkListener listener) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(topology.workQueue());
        container.setConcurrentConsumers(settings.concurrency());
        container.setPrefetchCount(settings.prefetch());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setDefaultRequeueRejected(false);
        container.setShutdownTimeout(settings.shutdownTimeout().toMillis());
        // Keep trying while the broker or the queue is not there yet, instead of failing the start-up.
        container.setMissingQueuesFatal(false);
        container.setMessageListener(listener);
        return container;
    }
}
