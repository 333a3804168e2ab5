// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import dev.stowage.model.Topology;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a delivery for every job that ended with a callback URL, once (one row per job), and hands each new
 * delivery to RabbitMQ: the row is the outbox, marked published when the broker has confirmed its message, so a
 * crash between the two only means it is published again. Several gateways share the work: a row being published
 * by one is skipped by the others.
 */
@Component
class WebhookOutbox {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);

    /** A job has ended once the gateway has recorded its completion (JobCompletions), whatever its outcome. */
    private static final String NEW_DELIVERIES = """
            insert into webhook_deliveries (id, job_id, url)
            select gen_random_uuid(), j.id, j.callback_url from jobs j
             where j.callback_url is not null and j.completion_recorded_at is not null
               and j.created_at > now() - interval '2 days'
               and not exists (select 1 from webhook_deliveries d where d.job_id = j.id)
            on conflict (job_id) do nothing
            """;

    private static final String UNPUBLISHED = """
            select id from webhook_deliveries where published_at is null order by created_at limit 100
               for update skip locked
            """;
    private static final String PUBLISHED = "update webhook_deliveries set published_at = now() where id = any(?)";

    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final RabbitTemplate rabbit;
    private final Topology topology;
    private final TaskScheduler scheduler;
    private final WebhookSettings settings;

    WebhookOutbox(
            JdbcClient sql,
            TransactionTemplate transaction,
            RabbitTemplate rabbit,
            Topology topology,
            TaskScheduler scheduler,
            WebhookSettings settings) {
        this.sql = sql;
        this.transaction = transaction;
        this.rabbit = rabbit;
        this.topology = topology;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::publishEnded, settings.interval());
    }

    void publishEnded() {
        try {
            sql.sql(NEW_DELIVERIES).update();
            transaction.executeWithoutResult(tx -> {
                List<UUID> deliveries = sql.sql(UNPUBLISHED).query(UUID.class).list();
                if (deliveries.isEmpty()) {
                    return;
                }
                rabbit.invoke(operations -> {
                    for (UUID delivery : deliveries) {
                        operations.send(topology.webhookExchange(), Topology.WORK_ROUTING_KEY, message(delivery));
                    }
                    operations.waitForConfirmsOrDie(10_000);
                    return null;
                });
                sql.sql(PUBLISHED).param(deliveries.toArray(UUID[]::new)).update();
            });
        } catch (RuntimeException e) {
            log.debug("Webhook deliveries not published now (tried again shortly): {}", e.toString());
        }
    }

    static Message message(UUID delivery) {
        return MessageBuilder.withBody(delivery.toString().getBytes(StandardCharsets.US_ASCII))
                .setContentType("text/plain")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(delivery.toString())
                .build();
    }
}
