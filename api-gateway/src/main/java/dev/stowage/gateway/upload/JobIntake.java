// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.gateway.datasets.DatasetName;
import dev.stowage.gateway.jobs.JobQueries;
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
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts a job: job row, file rows and bytes in one transaction; then one confirmed message per file, sent in the
 * background ({@link WorkOutbox#publishSoon}). Accepted means durable: until the broker confirms, the files stay
 * unpublished in the outbox and {@link OutboxReconciler} publishes any that the hand-over does not.
 *
 * <p>The tenant's quotas ({@link TenantQuotas}) are checked before the bytes are read and again before the commit.
 * With an {@code Idempotency-Key}, the key's row is written in the same transaction ({@link IdempotencyKeys}): a
 * key already held answers its job instead (a replay, if the request hashes the same) without storing anything,
 * and of two concurrent requests with one key the second waits for the first's commit, rolls back and answers the
 * first's job.
 */
@Service
class JobIntake {

    private static final String SET_SIZE = "update files set size_bytes = ? where id = ?";
    private static final String INSERT_JOB =
            "insert into jobs (id, tenant, dataset, callback_url, total, created_at) values (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_FILE = "insert into files (id, job_id, tenant, ordinal, name, content_type,"
            + " size_bytes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Chunk rows are sent in batches of about this many bytes: few round trips, bounded memory. */
    private static final int CHUNK_BATCH_BYTES = 8 * ContentChunks.SIZE;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final WorkOutbox outbox;
    private final Counter uploads;
    private final Counter filesAccepted;
    private final Counter bytesAccepted;
    private final Counter replayed;
    private final TenantQuotas quotas;
    private final IdempotencyKeys keys;
    private final JobQueries jobs;

    JobIntake(
            JdbcTemplate jdbc,
            TransactionTemplate transaction,
            WorkOutbox outbox,
            TenantQuotas quotas,
            IdempotencyKeys keys,
            JobQueries jobs,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.quotas = quotas;
        this.keys = keys;
        this.jobs = jobs;
        this.replayed = Counter.builder("stowage.uploads.replayed")
                .description("Uploads answered with the job of an earlier request with the same Idempotency-Key")
                .register(meters);
        this.uploads = meters.counter("stowage.uploads");
        this.filesAccepted = meters.counter("stowage.files.accepted");
        this.bytesAccepted = meters.counter("stowage.bytes.accepted");
    }

    /** An upload's answer: its job, and whether it is an earlier request's (a replay) rather than new. */
    record Accepted(JobView job, boolean replayed) {}

    /**
     * @param callbackUrl where to tell when the job ends, checked already ({@code CallbackUrls}), or null
     * @param key the request's {@code Idempotency-Key}, or null
     */
    Accepted accept(
            String tenant,
            List<IncomingFile> files,
            @Nullable String dataset,
            @Nullable String callbackUrl,
            @Nullable String key) {
        validate(files, dataset);
        if (key != null) {
            // Answered even when the tenant is over a quota: it stores nothing.
            Optional<IdempotencyKeys.Stored> earlier = keys.find(tenant, key);
            if (earlier.isPresent()) {
                return replay(tenant, key, earlier.get(), hashOnly(files, dataset, callbackUrl));
            }
        }
        UUID jobId = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        quotas.check(tenant, files.size(), now);
        List<Object[]> fileRows = new ArrayList<>(files.size());
        List<UUID> fileIds = new ArrayList<>(files.size());
        List<FileMessage> messages = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            IncomingFile file = files.get(i);
            UUID fileId = UUID.randomUUID();
            fileRows.add(new Object[] {
                fileId, jobId, tenant, i, file.name(), file.contentType(), Math.max(0, file.size()), now, now
            });
            fileIds.add(fileId);
            messages.add(new FileMessage(jobId, fileId));
        }
        RequestHash hash = key == null ? null : new RequestHash(dataset, callbackUrl, files.size());
        long[] sizes;
        try {
            sizes = transaction.execute(status -> {
                jdbc.update(INSERT_JOB, jobId, tenant, dataset, callbackUrl, files.size(), now);
                jdbc.batchUpdate(INSERT_FILE, fileRows);
                long[] read = insertChunks(files, fileIds, hash);
                for (int i = 0; i < files.size(); i++) {
                    if (files.get(i).size() == IncomingFile.UNKNOWN_SIZE) {
                        jdbc.update(SET_SIZE, read[i], fileIds.get(i));
                    }
                }
                // The key first: a concurrent request with the same key waits here for this one, not for the lock.
                if (key != null && !keys.claim(tenant, key, hash.digest(), jobId)) {
                    throw new KeyTaken();
                }
                quotas.enforce(tenant, files.size(), jobId, now);
                return read;
            });
        } catch (KeyTaken e) {
            // Another request with this key committed first: answer its job; nothing of this one is kept.
            IdempotencyKeys.Stored winner = keys.find(tenant, key).orElseThrow(() -> e);
            return replay(tenant, key, winner, hash.digest());
        }
        outbox.publishSoon(messages);
        List<JobView.FileSummary> summaries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            summaries.add(
                    JobView.FileSummary.queued(fileIds.get(i), files.get(i).name(), sizes[i]));
        }
        uploads.increment();
        filesAccepted.increment(files.size());
        bytesAccepted.increment(java.util.Arrays.stream(sizes).sum());
        return new Accepted(JobView.accepted(jobId, dataset, now, summaries), false);
    }

    /** The key's job if this request is the one that made it; else 422: the key was used for another request. */
    private Accepted replay(String tenant, String key, IdempotencyKeys.Stored earlier, byte[] requestHash) {
        if (!MessageDigest.isEqual(earlier.requestHash(), requestHash)) {
            throw new ApiProblem(
                    ProblemType.IDEMPOTENCY_KEY_REUSED,
                    IdempotencyKeys.HEADER + " " + ApiProblem.shown(key) + " was used within 24 hours for another"
                            + " request (other files, bytes, dataset or callback URL), job " + earlier.jobId()
                            + ". Use a new key for a new upload.");
        }
        JobView job = jobs.find(tenant, earlier.jobId())
                .orElseThrow(() -> new IllegalStateException("Job " + earlier.jobId() + " of key " + key + " is gone"));
        replayed.increment();
        return new Accepted(job, true);
    }

    /** The request's hash without storing it: a request whose key is already held reads its bytes only for this. */
    private static byte[] hashOnly(List<IncomingFile> files, @Nullable String dataset, @Nullable String callbackUrl) {
        RequestHash hash = new RequestHash(dataset, callbackUrl, files.size());
        byte[] buffer = new byte[ContentChunks.SIZE];
        for (IncomingFile file : files) {
            MessageDigest content = RequestHash.sha256();
            long read = 0;
            try (InputStream in = file.content().getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    content.update(buffer, 0, n);
                    read += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Reading upload '" + file.name() + "' failed", e);
            }
            if (read == 0) {
                throw emptyFile(file);
            }
            hash.file(file.name(), file.contentType(), read, content);
        }
        return hash.digest();
    }

    /** The key was claimed by a request that committed first; rolls this one back. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("Idempotency key taken", null, false, false);
        }
    }

    /**
     * Streams every file's bytes into chunk rows: never more than a batch of chunks in memory.
     *
     * @return each file's size as read
     */
    private long[] insertChunks(List<IncomingFile> files, List<UUID> fileIds, @Nullable RequestHash hash) {
        List<Object[]> batch = new ArrayList<>();
        long batchBytes = 0;
        long[] sizes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            IncomingFile file = files.get(i);
            MessageDigest content = hash == null ? null : RequestHash.sha256();
            try (InputStream in = file.content().getInputStream()) {
                long read = 0;
                for (int chunk = 0; ; chunk++) {
                    byte[] bytes = in.readNBytes(ContentChunks.SIZE);
                    if (bytes.length == 0) {
                        break;
                    }
                    read += bytes.length;
                    if (content != null) {
                        content.update(bytes);
                    }
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
                if (hash != null) {
                    hash.file(file.name(), file.contentType(), read, content);
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
