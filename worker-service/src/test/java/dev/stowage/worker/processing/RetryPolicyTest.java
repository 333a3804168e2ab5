// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.RetryProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    /** The default tiers: 1 s, 2 s, 4 s, so a budget of 4 tries. */
    private final RetryPolicy policy = new RetryPolicy(new RetryProperties(3, Duration.ofSeconds(1), 2).delays(), 150);

    private static final Failure TRANSIENT = new Failure(true, "LockTimeout", "lock", new RuntimeException());
    private static final Failure PERMANENT = new Failure(false, "InvalidJson", "broken", new RuntimeException());

    @Test
    void aTransientFailureIsRetriedAfterEachTiersDelayInTurnWhileTheBudgetLasts() {
        assertThat(policy.retryAfter(TRANSIENT, 1)).contains(Duration.ofSeconds(1));
        assertThat(policy.retryAfter(TRANSIENT, 2)).contains(Duration.ofSeconds(2));
        assertThat(policy.retryAfter(TRANSIENT, 3)).contains(Duration.ofSeconds(4));
        assertThat(policy.retryAfter(TRANSIENT, 4))
                .as("the fourth try is the last")
                .isEmpty();
    }

    @Test
    void aPermanentFailureIsNeverRetried() {
        assertThat(policy.retryAfter(PERMANENT, 1)).isEmpty();
    }

    @Test
    void withoutTiersNothingIsRetried() {
        RetryPolicy none = new RetryPolicy(List.of(), 150);

        assertThat(none.retryAfter(TRANSIENT, 1)).isEmpty();
        assertThat(none.unrecordedRetryAfter(1)).isEmpty();
        assertThat(none.pastBudget(1)).isEmpty();
        assertThat(none.pastBudget(2)).isPresent();
    }

    @Test
    void aTryPastTheBudgetFailsForGoodAsLostAttempts() {
        assertThat(policy.pastBudget(4)).as("the last try of the budget").isEmpty();
        assertThat(policy.pastBudget(5)).hasValueSatisfying(failure -> {
            assertThat(failure.transientFailure()).isFalse();
            assertThat(failure.errorClass()).isEqualTo("LostAttempts");
            assertThat(failure.message()).startsWith("Gave up: the previous 4 tries each ended without an outcome");
        });
    }

    @Test
    void anUnrecordedFailureGoesRoundTheLongestTierABoundedNumberOfTimes() {
        RetryPolicy twice = new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), 2);

        assertThat(twice.unrecordedRetryAfter(1)).contains(Duration.ofSeconds(2));
        assertThat(twice.unrecordedRetryAfter(2)).contains(Duration.ofSeconds(2));
        assertThat(twice.unrecordedRetryAfter(3)).isEmpty();
    }
}
