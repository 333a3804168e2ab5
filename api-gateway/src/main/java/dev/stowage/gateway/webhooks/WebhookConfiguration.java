// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import dev.stowage.model.Topology;
import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook deliveries' queues, declared with the rest of the topology. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    Declarables webhookTopology(Topology topology, WebhookSettings settings) {
        return topology.webhookDeclarables(settings.retryDelays());
    }
}
