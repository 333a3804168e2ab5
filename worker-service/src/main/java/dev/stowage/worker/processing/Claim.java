// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.worker.storage.FileContent;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A file this worker has started an attempt at, with what the database says about it.
 *
 * @param attempt the attempt's number in the file's whole history (attempt rows are keyed by it)
 * @param tryInBudget the attempt's number within the current retry budget: 1 is the first try
 * @param claimed whether the attempt is recorded already (PROCESSING, committed); a first try is recorded only
 *     with its outcome
 * @param started when this worker started it
 */
record Claim(
        UUID fileId,
        UUID jobId,
        int attempt,
        int tryInBudget,
        boolean claimed,
        Instant started,
        String name,
        String contentType,
        FileContent content,
        String tenant,
        @Nullable String dataset) {

    boolean jsonLines() {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return contentType.startsWith("application/x-ndjson")
                || contentType.startsWith("application/jsonl")
                || lower.endsWith(".ndjson")
                || lower.endsWith(".jsonl");
    }
}
