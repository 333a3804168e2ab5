// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker topology's tunables.
 *
 * @param prefix {@code STOWAGE_TOPOLOGY_PREFIX}: prefix of every exchange and queue name, so that two deployments
 *     (or two test runs) can share one broker
 * @param deliveryLimit how often the quorum work queue delivers one message before dead-lettering it; stops a file
 *     that kills every worker that takes it. A queue argument: changing it for an existing queue needs a policy
 *     ({@code delivery-limit}) or a new prefix, since RabbitMQ refuses to redeclare a queue with other arguments
 */
@Validated
@ConfigurationProperties("stowage.topology")
public record TopologyProperties(
        @DefaultValue("stowage") @Pattern(regexp = "[A-Za-z0-9._-]{1,100}")
        String prefix,

        @DefaultValue("10") @Min(1) @Max(1000) int deliveryLimit) {}
