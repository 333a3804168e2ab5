// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.model.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a failed file's message on: to the retry tier of the next delay (its TTL then returns it to the work
 * queue), or, when the file failed for good, back to the work queue marked for rejection so that RabbitMQ's own
 * dead-lettering moves it to the DLQ with our headers. Each publish is persistent and confirmed before the
 * original delivery is acknowledged; a {@code false} answer means the original must not be acknowledged.
 */
@Component
class RetryRouter {

    private static final Logger log = LoggerFactory.getLogger(RetryRouter.class);

    private final RabbitTemplate rabbit;
    private final Topology topology;
    private final MeterRegistry meters;
    private final Duration confirmTimeout;

    RetryRouter(RabbitTemplate rabbit, Topology topology, MeterRegistry meters, WorkerSettings settings) {
        this.rabbit = rabbit;
        this.topology = topology;
        this.meters = meters;
        this.confirmTimeout = settings.confirmTimeout();
    }

    boolean retry(Message original, Duration delay, int attempts, Failure failure, int unrecordedRetries) {
        Message copy = copy(original, attempts, failure);
        if (unrecordedRetries > 0) {
            copy.getMessageProperties().setHeader(Topology.UNRECORDED_RETRIES_HEADER, unrecordedRetries);
        }
        String tier = Topology.retryRoutingKey(delay);
        boolean sent = publish(topology.retryExchange(), tier, copy);
        if (sent) {
            meters.counter("stowage.retries", "tier", tier, "error_class", failure.errorClass())
                    .increment();
        }
        return sent;
    }

    boolean deadLetter(Message original, int attempts, Failure failure) {
        Message copy = copy(original, attempts, failure);
        copy.getMessageProperties().setHeader(Topology.DEAD_LETTER_HEADER, true);
        boolean sent = publish(topology.workExchange(), Topology.WORK_ROUTING_KEY, copy);
        meters.counter("stowage.dead.letters", "error_class", failure.errorClass())
                .increment();
        return sent;
    }

    /** The same body with fresh properties: our headers only, none of the broker's ({@code x-death}, counts). */
    private static Message copy(Message original, int attempts, Failure failure) {
        MessageProperties from = original.getMessageProperties();
        MessageBuilderSupport<Message> copy = MessageBuilder.withBody(original.getBody())
                .setContentType(from.getContentType())
                .setContentEncoding(from.getContentEncoding())
                .setMessageId(from.getMessageId())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        from.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("x-") || name.startsWith("x-stowage-")) {
                copy.setHeader(name, value);
            }
        });
        return copy.setHeader(Topology.ATTEMPTS_HEADER, attempts)
                .setHeader(Topology.ERROR_CLASS_HEADER, failure.errorClass())
                .setHeader(Topology.ERROR_HEADER, failure.shortMessage())
                .build();
    }

    private boolean publish(String exchange, String routingKey, Message message) {
        try {
            return Boolean.TRUE.equals(rabbit.invoke(operations -> {
                operations.send(exchange, routingKey, message);
                operations.waitForConfirmsOrDie(confirmTimeout.toMillis());
                return true;
            }));
        } catch (AmqpException e) {
            log.warn("Could not publish to {} / {}: {}", exchange, routingKey, e.toString());
            return false;
        }
    }
}
