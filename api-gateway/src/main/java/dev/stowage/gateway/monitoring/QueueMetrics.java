// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.monitoring;

import dev.stowage.model.FileStatus;
import dev.stowage.model.Topology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code stowage_queue_messages} and {@code stowage_queue_consumers} per queue (from the broker), and
 * {@code stowage_queue_oldest_age_seconds} per role: how long the oldest file has been waiting for a worker
 * (work), for its next try (retry), or in the dead-letter queue for an operator (dlq). The ages come from the files'
 * rows, which know when each file started waiting; RabbitMQ does not expose a quorum queue's head age. A value the
 * last refresh could not read is NaN, so a dashboard shows a gap instead of a stale number.
 */
@Component
class QueueMetrics {

    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    static final Duration REFRESH = Duration.ofSeconds(5);

    /** Ages per role, from the files' statuses; 0 when nothing waits. */
    private static final String OLDEST = """
            select coalesce(extract(epoch from now() - min(updated_at)), 0) from files where status = :status
            """;

    private final AmqpAdmin broker;
    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final TaskScheduler scheduler;
    private final Map<String, String> roleOfQueue = new LinkedHashMap<>();
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    QueueMetrics(
            AmqpAdmin broker,
            JdbcClient sql,
            TransactionTemplate transaction,
            TaskScheduler scheduler,
            Topology topology,
            MeterRegistry meters) {
        this.broker = broker;
        this.sql = sql;
        this.transaction = transaction;
        this.scheduler = scheduler;
        roleOfQueue.put(topology.workQueue(), "work");
        topology.retryDelays().forEach(delay -> roleOfQueue.put(topology.retryQueue(delay), "retry"));
        roleOfQueue.put(topology.deadLetterQueue(), "dlq");
        roleOfQueue.forEach((queue, role) -> {
            gauge(meters, "stowage.queue.messages", "Ready messages in the queue", "messages:" + queue)
                    .tag("queue", queue)
                    .tag("role", role)
                    .register(meters);
            gauge(meters, "stowage.queue.consumers", "Consumers of the queue", "consumers:" + queue)
                    .tag("queue", queue)
                    .tag("role", role)
                    .register(meters);
        });
        for (String role : List.of("work", "retry", "dlq")) {
            gauge(meters, "stowage.queue.oldest.age", "Age of the oldest file waiting in this role", "age:" + role)
                    .tag("role", role)
                    .baseUnit("seconds")
                    .register(meters);
        }
    }

    private Gauge.Builder<Map<String, Double>> gauge(MeterRegistry meters, String name, String help, String key) {
        return Gauge.builder(name, values, v -> v.getOrDefault(key, Double.NaN)).description(help);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, REFRESH);
    }

    void refresh() {
        roleOfQueue.keySet().forEach(queue -> {
            Optional<QueueInformation> info = queueInfo(queue);
            values.put(
                    "messages:" + queue,
                    info.map(i -> (double) i.getMessageCount()).orElse(Double.NaN));
            values.put(
                    "consumers:" + queue,
                    info.map(i -> (double) i.getConsumerCount()).orElse(Double.NaN));
        });
        Map<String, FileStatus> statusOfRole =
                Map.of("work", FileStatus.QUEUED, "retry", FileStatus.RETRYING, "dlq", FileStatus.FAILED);
        statusOfRole.forEach((role, status) -> values.put("age:" + role, oldest(status)));
    }

    /**
     * For the monitoring queries, which run every few seconds whatever the load: use the indexes they were written
     * for even when the planner's statistics are stale (a database without autovacuum, or a table that just grew
     * from nothing), and never run long. In the caller's transaction.
     */
    static void preferIndexes(JdbcClient sql) {
        sql.sql("select set_config('enable_seqscan', 'off', true), set_config('statement_timeout', '10s', true)")
                .query()
                .singleRow();
    }

    private Optional<QueueInformation> queueInfo(String queue) {
        try {
            return Optional.ofNullable(broker.getQueueInfo(queue));
        } catch (RuntimeException e) {
            log.debug("Queue {} not readable: {}", queue, e.toString());
            return Optional.empty();
        }
    }

    private double oldest(FileStatus status) {
        try {
            return transaction.execute(tx -> {
                preferIndexes(sql);
                return sql.sql(OLDEST)
                        .param("status", status.name())
                        .query(Double.class)
                        .single();
            });
        } catch (RuntimeException e) {
            log.debug("Backlog age not readable: {}", e.toString());
            return Double.NaN;
        }
    }
}
