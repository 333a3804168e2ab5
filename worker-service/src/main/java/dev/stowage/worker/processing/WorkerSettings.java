// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param concurrency {@code STOWAGE_WORKER_CONCURRENCY}: consumers (threads) per worker process
 * @param prefetch {@code STOWAGE_WORKER_PREFETCH}: unacknowledged messages the broker hands each consumer ahead
 * @param batchSize {@code STOWAGE_WORKER_BATCH_SIZE}: most messages a consumer takes at once; their small files
 *     share one storing transaction (the consumer's prefetch is at least this)
 * @param lockTimeout {@code STOWAGE_WORKER_LOCK_TIMEOUT}: longest wait for a database lock; a timeout is transient
 * @param statementTimeout {@code STOWAGE_WORKER_STATEMENT_TIMEOUT}: longest single statement (COPY of a large file
 *     included)
 * @param shutdownTimeout how long a stopping worker lets in-flight files finish before returning them to the queue
 * @param confirmTimeout how long to wait for the broker to confirm a retry or dead-letter publish
 * @param maxUnrecordedRetries how often a message goes round the longest retry tier while the database cannot
 *     even record an attempt (by default 150 × 4 s, about 10 minutes) before it is dead-lettered
 */
@Validated
@ConfigurationProperties("stowage.worker")
public record WorkerSettings(
        @DefaultValue("4") @Min(1) @Max(256) int concurrency,
        @DefaultValue("5") @Min(1) @Max(1000) int prefetch,
        @DefaultValue("50") @Min(1) @Max(1000) int batchSize,
        @DefaultValue("2s") Duration lockTimeout,
        @DefaultValue("10m") Duration statementTimeout,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("150") @Min(0) int maxUnrecordedRetries) {}
