// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;

/**
 * Every exchange, queue, routing key and header name, spelled once, derived from the prefix and the retry
 * delays. Both services declare {@link #declarables()} at start-up; declaring is idempotent, so either may
 * start first.
 *
 * <pre>
 * exchange P.work ──work──▶ queue P.work (quorum, DLX P.dlx) ──rejected──▶ exchange P.dlx ──dead──▶ queue P.dlq
 * exchange P.retry ──1000ms──▶ queue P.retry.1000ms (quorum, TTL 1 s, DLX P.work / work) ──▶ back to P.work
 * </pre>
 *
 * <p>The gateway's webhook deliveries have the same shape under {@code P.webhooks} ({@link #webhookDeclarables}):
 * their own queue, retry tiers and dead-letter queue, so that a receiver that is down never delays files.
 *
 * <p>Every queue is a quorum queue: in a cluster each is replicated (on three nodes, one may fail) and none
 * depends on the one node a classic queue lives on. Queues that dead-letter do it at least once: a message moves
 * on only once its destination has it, also while a node is failing over.
 */
public record Topology(String prefix, List<Duration> retryDelays, int deliveryLimit) {

    public static final String WORK_ROUTING_KEY = "work";
    public static final String DEAD_ROUTING_KEY = "dead";

    /** Headers of ours on every message; small on purpose: the full story lives in PostgreSQL. */
    public static final String JOB_ID_HEADER = "x-stowage-job-id";

    public static final String FILE_ID_HEADER = "x-stowage-file-id";
    public static final String ATTEMPTS_HEADER = "x-stowage-attempts";
    public static final String ERROR_CLASS_HEADER = "x-stowage-error-class";
    /** A short error message; the full error and stack trace are in PostgreSQL. */
    public static final String ERROR_HEADER = "x-stowage-error";
    /**
     * Marks a copy of a failed file's message, published with the headers above, that workers reject at once so
     * that the work queue's own dead-letter exchange moves it, headers and {@code x-death} included, to the DLQ.
     */
    public static final String DEAD_LETTER_HEADER = "x-stowage-dead-letter";
    /** How often a message was sent round the retry tiers because the database could not even record an attempt. */
    public static final String UNRECORDED_RETRIES_HEADER = "x-stowage-unrecorded-retries";

    public Topology {
        retryDelays = List.copyOf(retryDelays);
    }

    public static Topology of(TopologyProperties topology, RetryProperties retry) {
        return new Topology(topology.prefix(), retry.delays(), topology.deliveryLimit());
    }

    public String workExchange() {
        return prefix + ".work";
    }

    public String workQueue() {
        return prefix + ".work";
    }

    public String retryExchange() {
        return prefix + ".retry";
    }

    public String deadLetterExchange() {
        return prefix + ".dlx";
    }

    public String deadLetterQueue() {
        return prefix + ".dlq";
    }

    /** Routing key of the retry tier that waits {@code delay}, e.g. {@code 1000ms}. */
    public static String retryRoutingKey(Duration delay) {
        return delay.toMillis() + "ms";
    }

    public String retryQueue(Duration delay) {
        return prefix + ".retry." + retryRoutingKey(delay);
    }

    public String webhookExchange() {
        return prefix + ".webhooks";
    }

    public String webhookQueue() {
        return prefix + ".webhooks";
    }

    public String webhookRetryExchange() {
        return prefix + ".webhooks.retry";
    }

    public String webhookDeadLetterExchange() {
        return prefix + ".webhooks.dlx";
    }

    public String webhookDeadLetterQueue() {
        return prefix + ".webhooks.dlq";
    }

    public String webhookRetryQueue(Duration delay) {
        return prefix + ".webhooks.retry." + retryRoutingKey(delay);
    }

    /** The webhook queues for these retry delays, for tests that clean up after themselves. */
    public List<String> webhookQueues(List<Duration> delays) {
        List<String> names = new ArrayList<>(List.of(webhookQueue(), webhookDeadLetterQueue()));
        delays.forEach(delay -> names.add(webhookRetryQueue(delay)));
        return names;
    }

    public List<String> webhookExchanges() {
        return List.of(webhookExchange(), webhookRetryExchange(), webhookDeadLetterExchange());
    }

    /**
     * The webhook deliveries' queue (dead-lettering to its own DLQ) and one TTL queue per retry delay that expires
     * back into it, declared by the gateway, which delivers them.
     */
    public Declarables webhookDeclarables(List<Duration> delays) {
        List<Declarable> all = new ArrayList<>();
        DirectExchange webhooks = durable(webhookExchange());
        DirectExchange retry = durable(webhookRetryExchange());
        DirectExchange dead = durable(webhookDeadLetterExchange());
        Queue queue = deadLettering(webhookQueue(), webhookDeadLetterExchange(), DEAD_ROUTING_KEY)
                .build();
        Queue deadLetters =
                QueueBuilder.durable(webhookDeadLetterQueue()).quorum().build();
        all.addAll(List.of(webhooks, retry, dead, queue, deadLetters));
        all.add(bind(queue, webhooks, WORK_ROUTING_KEY));
        all.add(bind(deadLetters, dead, DEAD_ROUTING_KEY));
        for (Duration delay : delays) {
            Queue tier = deadLettering(webhookRetryQueue(delay), webhookExchange(), WORK_ROUTING_KEY)
                    .ttl(Math.toIntExact(delay.toMillis()))
                    .build();
            all.add(tier);
            all.add(bind(tier, retry, retryRoutingKey(delay)));
        }
        return new Declarables(all);
    }

    /** Every queue name, for operators and for tests that clean up after themselves. */
    public List<String> queues() {
        List<String> names = new ArrayList<>(List.of(workQueue(), deadLetterQueue()));
        retryDelays.forEach(delay -> names.add(retryQueue(delay)));
        return names;
    }

    public List<String> exchanges() {
        return List.of(workExchange(), retryExchange(), deadLetterExchange());
    }

    public Declarables declarables() {
        List<Declarable> all = new ArrayList<>();
        DirectExchange work = durable(workExchange());
        DirectExchange retry = durable(retryExchange());
        DirectExchange dead = durable(deadLetterExchange());
        Queue workQueue = deadLettering(workQueue(), deadLetterExchange(), DEAD_ROUTING_KEY)
                // A message whose worker keeps dying (kill -9, OOM) is dead-lettered after this many deliveries.
                .deliveryLimit(deliveryLimit)
                .build();
        Queue deadLetterQueue = QueueBuilder.durable(deadLetterQueue()).quorum().build();
        all.addAll(List.of(work, retry, dead, workQueue, deadLetterQueue));
        all.add(bind(workQueue, work, WORK_ROUTING_KEY));
        all.add(bind(deadLetterQueue, dead, DEAD_ROUTING_KEY));
        for (Duration delay : retryDelays) {
            // One queue per delay: a per-queue TTL expires messages in order, mixed per-message TTLs would not.
            Queue tier = deadLettering(retryQueue(delay), workExchange(), WORK_ROUTING_KEY)
                    .ttl(Math.toIntExact(delay.toMillis()))
                    .build();
            all.add(tier);
            all.add(bind(tier, retry, retryRoutingKey(delay)));
        }
        return new Declarables(all);
    }

    /** A quorum queue whose rejected and expired messages go to an exchange, at least once. */
    private static QueueBuilder deadLettering(String name, String exchange, String routingKey) {
        return QueueBuilder.durable(name)
                .quorum()
                .deadLetterExchange(exchange)
                .deadLetterRoutingKey(routingKey)
                // RabbitMQ keeps a dead-lettered message until the destination queue confirms it (3.10+), which
                // needs the queue to refuse new messages, rather than drop old ones, should it ever be full.
                .withArgument("x-dead-letter-strategy", "at-least-once")
                .overflow(QueueBuilder.Overflow.rejectPublish);
    }

    private static DirectExchange durable(String name) {
        return ExchangeBuilder.directExchange(name).durable(true).build();
    }

    private static Binding bind(Queue queue, DirectExchange exchange, String routingKey) {
        return BindingBuilder.bind(queue).to(exchange).with(routingKey);
    }
}
