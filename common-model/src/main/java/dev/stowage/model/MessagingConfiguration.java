package dev.stowage.model;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
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

    @Bean
    Topology topology(TopologyProperties topology, RetryProperties retry) {
        return Topology.of(topology, retry);
    }

    @Bean
    Declarables stowageTopology(Topology topology) {
        return topology.declarables();
    }

    @Bean
    MessageConverter messageConverter() {
        return new JacksonJsonMessageConverter(FileMessage.class.getPackageName());
    }
}
