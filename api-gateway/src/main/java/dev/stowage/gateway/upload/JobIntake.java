// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.gateway.datasets.DatasetName;
import dev.stowage.gateway.jobs.JobView;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts a job: job row, file rows and bytes in one transaction; then one confirmed message per file, sent in the
 * background ({@link WorkOutbox#publishSoon}). Accepted means durable: until the broker confirms, the files stay
 * unpublished in the outbox and {@link OutboxReconciler} publishes any that the hand-over does not.
 */
@Service
class JobIntake {

    private static final String SET_SIZE = "update files set size_bytes = ? where id = ?";
    private static final String INSERT_JOB =
            "insert into jobs (id, tenant, dataset, total, created_at) values (?, ?, ?, ?, ?)";
    private static final String INSERT_FILE = "insert into files (id, job_id, ordinal, name, content_type, size_bytes,"
            + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)";
    /** Chunk rows are sent in batches of about this many bytes: few round trips, bounded memory. */
    private static final int CHUNK_BATCH_BYTES = 8 * ContentChunks.SIZE;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final WorkOutbox outbox;
    private final Counter uploads;
    private final Counter filesAccepted;
    private final Counter bytesAccepted;

    JobIntake(JdbcTemplate jdbc, TransactionTemplate transaction, WorkOutbox outbox, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.uploads = meters.counter("stowage.uploads");
        this.filesAccepted = meters.counter("stowage.files.accepted");
        this.bytesAccepted = meters.counter("stowage.bytes.accepted");
    }

    JobView accept(String tenant, List<IncomingFile> files, @Nullable String dataset) {
        validate(files, dataset);
        UUID jobId = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<Object[]> fileRows = new ArrayList<>(files.size());
        List<UUID> fileIds = new ArrayList<>(files.size());
        List<FileMessage> messages = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            IncomingFile file = files.get(i);
            UUID fileId = UUID.randomUUID();
            fileRows.add(
                    new Object[] {fileId, jobId, i, file.name(), file.contentType(), Math.max(0, file.size()), now, now
                    });
            fileIds.add(fileId);
            messages.add(new FileMessage(jobId, fileId));
        }
        long[] sizes = transaction.execute(status -> {
            jdbc.update(INSERT_JOB, jobId, tenant, dataset, files.size(), now);
            jdbc.batchUpdate(INSERT_FILE, fileRows);
            long[] read = insertChunks(files, fileIds);
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).size() == IncomingFile.UNKNOWN_SIZE) {
                    jdbc.update(SET_SIZE, read[i], fileIds.get(i));
                }
            }
            return read;
        });
        outbox.publishSoon(messages);
        List<JobView.FileSummary> summaries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            summaries.add(
                    JobView.FileSummary.queued(fileIds.get(i), files.get(i).name(), sizes[i]));
        }
        uploads.increment();
        filesAccepted.increment(files.size());
        bytesAccepted.increment(java.util.Arrays.stream(sizes).sum());
        return JobView.accepted(jobId, dataset, now, summaries);
    }

    /**
     * Streams every file's bytes into chunk rows: never more than a batch of chunks in memory.
     *
     * @return each file's size as read
     */
    private long[] insertChunks(List<IncomingFile> files, List<UUID> fileIds) {
        List<Object[]> batch = new ArrayList<>();
        long batchBytes = 0;
        long[] sizes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            IncomingFile file = files.get(i);
            try (InputStream in = file.content().getInputStream()) {
                long read = 0;
                for (int chunk = 0; ; chunk++) {
                    byte[] bytes = in.readNBytes(ContentChunks.SIZE);
                    if (bytes.length == 0) {
                        break;
                    }
                    read += bytes.length;
                    batch.add(new Object[] {fileIds.get(i), chunk, bytes});
                    batchBytes += bytes.length;
                    if (batchBytes >= CHUNK_BATCH_BYTES) {
                        jdbc.batchUpdate(ContentChunks.INSERT, batch);
                        batch.clear();
                        batchBytes = 0;
                    }
                }
                sizes[i] = read;
                if (read == 0) {
                    throw emptyFile(file);
                }
                if (file.size() != IncomingFile.UNKNOWN_SIZE && read != file.size()) {
                    throw new IllegalStateException(
                            "File '%s' had %d bytes, not %d as announced".formatted(file.name(), read, file.size()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Reading upload '" + file.name() + "' failed", e);
            }
        }
        if (!batch.isEmpty()) {
            jdbc.batchUpdate(ContentChunks.INSERT, batch);
        }
        return sizes;
    }

    private static void validate(List<IncomingFile> files, @Nullable String dataset) {
        if (dataset != null) {
            DatasetName.require("dataset", dataset); // quotes at most 100 characters of what was sent
        }
        for (IncomingFile file : files) {
            if (file.size() == 0) {
                throw emptyFile(file);
            }
        }
    }

    private static ApiProblem emptyFile(IncomingFile file) {
        return new ApiProblem(
                ProblemType.EMPTY_FILE,
                "File " + ApiProblem.shown(file.name())
                        + " is empty. Remove it or send its content; nothing was accepted.");
    }
}
