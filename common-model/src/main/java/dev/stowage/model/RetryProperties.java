// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How transient failures are retried: {@code maxRetries} more tries after the first, waiting {@code initialDelay},
 * then each time {@code multiplier} times longer (by default 1 s, 2 s, 4 s: at most 1 + 3 = 4 tries).
 */
@Validated
@ConfigurationProperties("stowage.retry")
public record RetryProperties(
        @DefaultValue("3") @Min(0) @Max(20) int maxRetries,
        @DefaultValue("1s") Duration initialDelay,
        @DefaultValue("2") @DecimalMin("1.0") double multiplier) {

    /** The delay before each retry, in order; one delay-tier queue exists per entry. */
    public List<Duration> delays() {
        List<Duration> delays = new ArrayList<>();
        for (int retry = 0; retry < maxRetries; retry++) {
            delays.add(Duration.ofMillis(Math.round(initialDelay.toMillis() * Math.pow(multiplier, retry))));
        }
        return List.copyOf(delays);
    }
}
