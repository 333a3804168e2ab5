// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhooks ({@code STOWAGE_WEBHOOK_*}).
 *
 * @param retryDelays how long a delivery that failed waits before each next try (one RabbitMQ delay queue each);
 *     after the last, it is dead-lettered
 * @param timeout how long one try may take, connecting and answering
 * @param allowHttp whether plain {@code http://} callback URLs are accepted (default: only https)
 * @param allowedHosts host names or addresses that may be called although they are inside the network (loopback,
 *     private, link-local): for operators whose receivers are internal
 * @param interval how often the gateway looks for jobs that ended with a callback URL
 */
@Validated
@ConfigurationProperties("stowage.webhook")
public record WebhookSettings(
        @DefaultValue({"10s", "1m", "10m", "1h"}) List<Duration> retryDelays,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue({}) List<String> allowedHosts,
        @DefaultValue("1s") Duration interval) {

    public WebhookSettings {
        retryDelays = List.copyOf(retryDelays);
        allowedHosts = allowedHosts.stream().map(String::toLowerCase).toList();
    }
}
