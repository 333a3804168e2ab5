// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker set-up both services share: one topology, declared whole at start-up, and JSON messages. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    TopologyProperties.class,
    RetryProperties.class,
    DatabaseProperties.class,
    DatasetsProperties.class
})
public class MessagingConfiguration {

    private static final Log log = LogFactory.getLog(MessagingConfiguration.class);

    @Bean
    Topology topology(TopologyProperties topology, RetryProperties retry) {
        return Topology.of(topology, retry);
    }

    @Bean
    Declarables stowageTopology(Topology topology) {
        return topology.declarables();
    }

    /**
     * Declares the topology as soon as the service is up, not only when it first publishes or consumes: the work
     * queue must exist before the first upload is confirmed. If the broker is away, the admin declares everything
     * again on every (re)connection.
     */
    @Bean
    ApplicationRunner declareTopology(AmqpAdmin admin) {
        return args -> {
            try {
                admin.initialize();
            } catch (AmqpException e) {
                // Unreachable: declared again on the first connection. A queue that exists with other arguments
                // (declared by an older version) is kept as it is, and the broker's PRECONDITION_FAILED says which.
                log.warn("Declaring the topology failed (the broker is not reachable yet, or a queue exists with"
                        + " other arguments); it is declared again on every connection: " + e);
            }
        };
    }

    @Bean
    MessageConverter messageConverter() {
        return new JacksonJsonMessageConverter(FileMessage.class.getPackageName());
    }
}
