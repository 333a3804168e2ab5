// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker;

import dev.stowage.model.CompilerDirectives;
import dev.stowage.model.MessagingConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(MessagingConfiguration.class)
public class WorkerApplication {

    public static void main(String[] args) {
        CompilerDirectives.apply("jit/directives.json");
        SpringApplication.run(WorkerApplication.class, args);
    }
}
