// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes work messages, persistent, and waits for the broker's confirms for the whole batch at once (one
 * round trip for a hundred files, not a hundred).
 *
 * <p>A publish that fails also drops the connection: the next one opens a new connection, to any node of a
 * cluster, and threads blocked on the old one are released. Confirms that do not come in time mean the path to
 * the queue is stuck, not slow: when the work queue's leader is on a node that freezes, the channels that published
 * to it stop answering, on a live connection, even after the queue has a new leader.
 */
@Component
class FilePublisher {

    private static final Logger log = LoggerFactory.getLogger(FilePublisher.class);

    private final RabbitTemplate rabbit;
    private final Topology topology;
    private final OutboxSettings settings;

    FilePublisher(RabbitTemplate rabbit, Topology topology, OutboxSettings settings) {
        this.rabbit = rabbit;
        this.topology = topology;
        this.settings = settings;
    }

    /** @return true when the broker confirmed every message; false leaves them to the outbox reconciler */
    boolean publish(List<FileMessage> messages) {
        try {
            return Boolean.TRUE.equals(rabbit.invoke(operations -> {
                for (FileMessage message : messages) {
                    operations.convertAndSend(topology.workExchange(), Topology.WORK_ROUTING_KEY, message, amqp -> {
                        amqp.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                        amqp.getMessageProperties()
                                .setMessageId(message.fileId().toString());
                        amqp.getMessageProperties()
                                .setHeader(
                                        Topology.JOB_ID_HEADER, message.jobId().toString());
                        amqp.getMessageProperties()
                                .setHeader(
                                        Topology.FILE_ID_HEADER,
                                        message.fileId().toString());
                        return amqp;
                    });
                }
                operations.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
                return true;
            }));
        } catch (AmqpException e) {
            log.warn("{} work messages not confirmed, left to the outbox: {}", messages.size(), e.toString());
            if (rabbit.getConnectionFactory() instanceof CachingConnectionFactory connections) {
                connections.resetConnection();
            }
            return false;
        }
    }
}
