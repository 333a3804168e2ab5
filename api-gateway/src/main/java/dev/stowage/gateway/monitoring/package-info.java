// SPDX-License-Identifier: Apache-2.0
/**
 * Metrics an operator needs beyond what each request records: queue depths, consumers and backlog age, and jobs'
 * end-to-end latency. Computed on a schedule, not per scrape, so a slow broker or database never stalls a scrape.
 */
@NullMarked
package dev.stowage.gateway.monitoring;

import org.jspecify.annotations.NullMarked;
