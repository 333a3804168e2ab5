// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.files;

import dev.stowage.model.FileStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One file with everything known about it: status, every attempt, where and how it was stored. */
record FileView(
        UUID fileId,
        UUID jobId,
        String name,
        String contentType,
        long sizeBytes,
        FileStatus status,
        @Nullable String storage,
        @Nullable String table,
        @Nullable Long records,
        @Nullable String error,
        @Nullable String errorClass,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @Nullable OffsetDateTime nextAttemptAt,
        @Nullable OffsetDateTime finishedAt,
        List<Attempt> attempts,
        @Nullable JsonNode report) {

    /** One try at the file, by one worker; {@code outcome} is null while it runs. */
    record Attempt(
            int attempt,
            String worker,
            OffsetDateTime startedAt,
            @Nullable OffsetDateTime endedAt,
            @Nullable String outcome,
            @Nullable String error) {}
}
