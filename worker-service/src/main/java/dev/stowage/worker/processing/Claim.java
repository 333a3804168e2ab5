package dev.stowage.worker.processing;

import dev.stowage.worker.storage.FileContent;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A file this worker has started an attempt at, with what the database says about it.
 *
 * @param attempt the attempt's number in the file's whole history (attempt rows are keyed by it)
 * @param tryInBudget the attempt's number within the current retry budget: 1 is the first try
 */
record Claim(
        UUID fileId,
        UUID jobId,
        int attempt,
        int tryInBudget,
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
