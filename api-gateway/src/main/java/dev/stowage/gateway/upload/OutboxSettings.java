// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param confirmTimeout how long an upload waits for the broker's confirms before leaving its messages to the
 *     outbox (the upload is still accepted: its bytes are already in PostgreSQL)
 * @param interval how often the reconciler looks for unpublished files
 * @param publishAfter how old an unpublished file must be before the reconciler publishes it, so that it does not
 *     race an upload that is still waiting for its confirms
 * @param batchSize how many files one reconciler pass publishes at most
 * @param redriveAfter a file not ended and untouched for this long (its worker died, its message was lost) gets a
 *     new work message; longer than any file can legitimately take (statement timeout 10 min plus analysis), and
 *     harmless if it is not: a second delivery never stores a file twice
 */
@Validated
@ConfigurationProperties("stowage.outbox")
record OutboxSettings(
        @DefaultValue("5s") Duration confirmTimeout,
        @DefaultValue("5s") Duration interval,
        @DefaultValue("15s") Duration publishAfter,
        @DefaultValue("500") int batchSize,
        @DefaultValue("30m") Duration redriveAfter) {}
