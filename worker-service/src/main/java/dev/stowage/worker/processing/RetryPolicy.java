// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides what becomes of a file whose try failed; {@link RetryRouter} then sends its message where this says. A
 * file's budget is one try and then one more per retry tier: a transient failure is tried again after the delay of
 * the next tier while the budget lasts, a permanent one (retrying cannot help) or one that spent the budget fails
 * the file. A failure the database could not even record spends no budget: its message goes round the longest tier,
 * a bounded number of times, so that an outage neither loses nor loops it.
 */
final class RetryPolicy {

    private final List<Duration> delays;
    private final int maxUnrecordedRetries;

    /**
     * @param delays the retry tiers' delays, in order
     * @param maxUnrecordedRetries how often a message may go round the longest tier unrecorded
     */
    RetryPolicy(List<Duration> delays, int maxUnrecordedRetries) {
        this.delays = List.copyOf(delays);
        this.maxUnrecordedRetries = maxUnrecordedRetries;
    }

    /**
     * The failure a try starts with when it is past the budget: the tries before it in this budget each ended without
     * an outcome, their worker stopped while processing the file (it may be what stops them). Empty within budget.
     */
    Optional<Failure> pastBudget(int tryInBudget) {
        if (tryInBudget <= 1 + delays.size()) {
            return Optional.empty();
        }
        String message = "Gave up: the previous %d tries each ended without an outcome, their worker stopped"
                        .formatted(tryInBudget - 1)
                + " (killed, out of memory, or disconnected) while processing this file.";
        return Optional.of(new Failure(false, "LostAttempts", message, new IllegalStateException(message)));
    }

    /** The delay before the next try of a file whose try {@code tryInBudget} failed; empty if the file fails. */
    Optional<Duration> retryAfter(Failure failure, int tryInBudget) {
        return failure.transientFailure() && tryInBudget <= delays.size()
                ? Optional.of(delays.get(tryInBudget - 1))
                : Optional.empty();
    }

    /**
     * The delay before unrecorded retry number {@code count} (from 1): the longest tier's; empty when the message has
     * gone round often enough, or there is no tier, and is to be dead-lettered as it is.
     */
    Optional<Duration> unrecordedRetryAfter(int count) {
        return delays.isEmpty() || count > maxUnrecordedRetries
                ? Optional.empty()
                : Optional.of(delays.get(delays.size() - 1));
    }
}
