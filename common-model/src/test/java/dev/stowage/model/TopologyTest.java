// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;

class TopologyTest {

    private final Topology topology =
            Topology.of(new TopologyProperties("stowage", 10), new RetryProperties(3, Duration.ofSeconds(1), 2));

    @Test
    void namesEveryExchangeAndQueueFromThePrefix() {
        assertThat(topology.exchanges()).containsExactly("stowage.work", "stowage.retry", "stowage.dlx");
        assertThat(topology.queues())
                .containsExactly(
                        "stowage.work",
                        "stowage.dlq",
                        "stowage.retry.1000ms",
                        "stowage.retry.2000ms",
                        "stowage.retry.4000ms");
    }

    @Test
    void retryDelaysGrowByTheMultiplier() {
        assertThat(new RetryProperties(4, Duration.ofMillis(500), 3).delays())
                .containsExactly(
                        Duration.ofMillis(500),
                        Duration.ofMillis(1500),
                        Duration.ofMillis(4500),
                        Duration.ofMillis(13500));
        assertThat(new RetryProperties(0, Duration.ofSeconds(1), 2).delays()).isEmpty();
    }

    @Test
    void theDeadLetterQueueIsQuorum() {
        assertThat(queue("stowage.dlq").getArguments()).containsEntry("x-queue-type", "quorum");
    }

    @Test
    void workQueueIsQuorumWithDeadLetteringAtLeastOnceAndADeliveryLimit() {
        Queue work = queue("stowage.work");
        assertThat(work.getArguments())
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-dead-letter-exchange", "stowage.dlx")
                .containsEntry("x-dead-letter-routing-key", Topology.DEAD_ROUTING_KEY)
                .containsEntry("x-delivery-limit", 10)
                .containsEntry("x-dead-letter-strategy", "at-least-once")
                .containsEntry("x-overflow", "reject-publish");
    }

    @Test
    void eachRetryTierIsAQuorumQueueThatExpiresBackIntoTheWorkExchange() {
        Queue tier = queue("stowage.retry.2000ms");
        assertThat(tier.getArguments())
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-dead-letter-strategy", "at-least-once")
                .containsEntry("x-message-ttl", 2000)
                .containsEntry("x-dead-letter-exchange", "stowage.work")
                .containsEntry("x-dead-letter-routing-key", Topology.WORK_ROUTING_KEY);
        List<Binding> bindings = topology.declarables().getDeclarablesByType(Binding.class);
        assertThat(bindings).anySatisfy(binding -> {
            assertThat(binding.getDestination()).isEqualTo("stowage.retry.2000ms");
            assertThat(binding.getExchange()).isEqualTo("stowage.retry");
            assertThat(binding.getRoutingKey()).isEqualTo("2000ms");
        });
    }

    @Test
    void webhookDeliveriesHaveTheirOwnQueueTiersAndDeadLetterQueue() {
        List<Duration> delays = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1));
        assertThat(topology.webhookQueues(delays))
                .containsExactly(
                        "stowage.webhooks",
                        "stowage.webhooks.dlq",
                        "stowage.webhooks.retry.10000ms",
                        "stowage.webhooks.retry.60000ms");
        List<Queue> queues = topology.webhookDeclarables(delays).getDeclarablesByType(Queue.class);
        assertThat(queues)
                .extracting(Queue::getName)
                .containsExactlyInAnyOrderElementsOf(topology.webhookQueues(delays));
        Queue webhooks = queues.stream()
                .filter(q -> q.getName().equals("stowage.webhooks"))
                .findFirst()
                .orElseThrow();
        assertThat(webhooks.getArguments())
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-dead-letter-exchange", "stowage.webhooks.dlx")
                .containsEntry("x-dead-letter-strategy", "at-least-once");
        Queue tier = queues.stream()
                .filter(q -> q.getName().equals("stowage.webhooks.retry.60000ms"))
                .findFirst()
                .orElseThrow();
        assertThat(tier.getArguments())
                .containsEntry("x-message-ttl", 60000)
                .containsEntry("x-dead-letter-exchange", "stowage.webhooks");
        assertThat(topology.webhookExchanges())
                .doesNotContainAnyElementsOf(topology.exchanges())
                .contains("stowage.webhooks.retry");
    }

    private Queue queue(String name) {
        return topology.declarables().getDeclarablesByType(Queue.class).stream()
                .filter(q -> q.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
