// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import dev.stowage.model.FileStatus;
import dev.stowage.model.JobStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The job body of the API; its field names are the contract. */
public record JobView(
        UUID jobId,
        JobStatus status,
        @Nullable String dataset,
        Progress progress,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @Nullable OffsetDateTime finishedAt,
        @Nullable OffsetDateTime cancelledAt,
        List<FileSummary> files) {

    /** Counts that always add up to {@code total}. */
    public record Progress(
            int total, int queued, int processing, int retrying, int done, int failed, int cancelled, int percent) {

        static Progress of(int total, int queued, int processing, int retrying, int done, int failed, int cancelled) {
            // Percent of files that ended, rounded down so that 100 means truly finished.
            return new Progress(
                    total,
                    queued,
                    processing,
                    retrying,
                    done,
                    failed,
                    cancelled,
                    (done + failed + cancelled) * 100 / total);
        }

        boolean ended() {
            return done + failed + cancelled == total;
        }

        /**
         * The job's status, which follows from the counts and whether the job was cancelled (the jobs list filters
         * by the same rule in SQL): a cancelled job is PROCESSING until its running files have finished.
         */
        JobStatus status(boolean cancelRequested) {
            if (ended()) {
                return cancelRequested
                        ? JobStatus.CANCELLED
                        : failed == 0 ? JobStatus.DONE : done == 0 ? JobStatus.FAILED : JobStatus.PARTIALLY_FAILED;
            }
            return queued == total ? JobStatus.QUEUED : JobStatus.PROCESSING;
        }
    }

    public record FileSummary(
            UUID fileId,
            String name,
            long sizeBytes,
            FileStatus status,
            int attempts,
            @Nullable String storage,
            @Nullable String table,
            @Nullable Long records,
            @Nullable String error) {

        public static FileSummary queued(UUID fileId, String name, long sizeBytes) {
            return new FileSummary(fileId, name, sizeBytes, FileStatus.QUEUED, 0, null, null, null, null);
        }
    }

    /** The answer to an upload: everything queued, nothing read back. */
    public static JobView accepted(
            UUID jobId, @Nullable String dataset, OffsetDateTime createdAt, List<FileSummary> files) {
        Progress progress = Progress.of(files.size(), files.size(), 0, 0, 0, 0, 0);
        return new JobView(jobId, JobStatus.QUEUED, dataset, progress, createdAt, createdAt, null, null, files);
    }
}
