// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import dev.stowage.model.CompilerDirectives;
import dev.stowage.model.MessagingConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(MessagingConfiguration.class)
public class GatewayApplication {

    public static void main(String[] args) {
        CompilerDirectives.apply("jit/directives.json");
        SpringApplication.run(GatewayApplication.class, args);
    }
}
