// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileMessage;
import dev.stowage.model.FileReport;
import dev.stowage.model.FileStatus;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.storage.FileContent;
import dev.stowage.worker.storage.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The file's state machine in SQL. A file's first delivery is read without a write ({@link #firstTries}) and
 * stored with its DONE and its attempt in one transaction; every other delivery, and any file that fails, claims
 * an attempt first ({@link #claim}: PROCESSING, committed), which ends as DONE, RETRY, FAILED or DUPLICATE.
 */
@Repository
class FileStates {

    /**
     * A message that went through the DLQ and came back (e.g. moved in the management UI): a fresh budget, unless
     * its job was cancelled meanwhile (then the delivery finds the file ended and drops it).
     */
    private static final String REPLAYED = """
            update files f set status = 'QUEUED', budget_start = attempts, error = null, error_class = null,
                   finished_at = null, next_attempt_at = null, updated_at = now()
             where id = :file and status not in ('DONE', 'CANCELLED')
               and not exists (select 1 from jobs j where j.id = f.job_id and j.cancelled_at is not null)
            """;
    /**
     * One statement, one round trip for a whole batch of deliveries: attempts still open were cut short (their
     * worker died or lost its connection) and become LOST; each file becomes PROCESSING with a new attempt; a file
     * of one chunk comes with its bytes. Rows are found by {@code id = any(array(…))}, an index condition whatever the
     * statistics say: joined to the batch's rows, the planner may hash the join over a whole index scan of
     * {@code files} and {@code attempts} when statistics are stale. Its commit need not wait for the disk: a
     * claim lost in a database crash only means that the redelivered message claims the file again.
     */
    private static final String CLAIM = """
            with no_fsync as (select set_config('synchronous_commit', 'off', true)),
            work as (select * from jsonb_to_recordset(cast(:work as jsonb)) as w(file uuid, job uuid)),
            lost as (
                update attempts set ended_at = now(), outcome = 'LOST',
                       error = 'The worker stopped before recording an outcome (killed, out of memory, or disconnected).'
                 where file_id = any(array(select file from work)) and outcome is null),
            cancelled as (
                update files f
                   set status = 'CANCELLED', updated_at = now(), next_attempt_at = null, finished_at = now()
                 where f.id = any(array(select file from work))
                   and f.status not in ('DONE', 'FAILED', 'CANCELLED')
                   and exists (select 1 from jobs j where j.id = f.job_id and j.cancelled_at is not null)),
            claimed as (
                update files f
                   set status = 'PROCESSING', attempts = f.attempts + 1, updated_at = now(), next_attempt_at = null
                 where f.id = any(array(select file from work))
                   and f.job_id = (select job from work where file = f.id limit 1)
                   and f.status not in ('DONE', 'FAILED', 'CANCELLED') and f.size_bytes <= :maxSize
                   and not exists (select 1 from jobs j where j.id = f.job_id and j.cancelled_at is not null)
                returning f.id, f.job_id, f.attempts, f.budget_start, f.name, f.content_type, f.size_bytes),
            started as (insert into attempts (file_id, attempt, worker) select id, attempts, :worker from claimed)
            select c.*, j.tenant, j.dataset,
                   (select bytes from file_chunks k where k.file_id = c.id and k.chunk = 0 and c.size_bytes <= :chunk)
                       as content
              from claimed c
             cross join lateral (select tenant, dataset from jobs where id = c.job_id) j
             cross join no_fsync
            """;
    /**
     * First deliveries of small files, read without writing anything: only the storing transaction writes, DONE
     * and the attempt together. A file still QUEUED or RETRYING (back from a retry tier) qualifies; one that is
     * PROCESSING has an attempt open somewhere, and its delivery claims.
     */
    private static final String FIRST_TRIES = """
            select f.id, f.job_id, f.attempts, f.budget_start, f.name, f.content_type, f.size_bytes, j.tenant,
                   j.dataset, (select bytes from file_chunks k where k.file_id = f.id and k.chunk = 0
                                                          and f.size_bytes <= :chunk) as content
              from files f join jobs j on j.id = f.job_id
             where f.id = any(:files) and f.status in ('QUEUED', 'RETRYING') and f.size_bytes <= :maxSize
               and j.cancelled_at is null
            """;
    /**
     * Waits (up to the lock timeout) rather than skips, so that a second delivery of a file being stored stores
     * nothing. One array parameter, not a list of them: one statement text whatever the batch's size, prepared
     * once per connection.
     */
    private static final String LOCK_FILES =
            "select id, status, attempts from files where id = any(:files) order by id for update";

    /**
     * Every file stored in one transaction ends DONE in one statement, with its attempt: the claimed attempt ends,
     * a first try's attempt is recorded already ended (keys found as in CLAIM).
     */
    private static final String DONE = """
            with done as (
                select * from jsonb_to_recordset(cast(:done as jsonb)) as d(
                    file uuid, attempt int, claimed boolean, started timestamptz, dataset text, storage text,
                    "table" text, records bigint, report jsonb)),
            claimed as (
                update attempts a set ended_at = now(), outcome = 'DONE'
                  from done d
                 where a.file_id = any(array(select file from done where claimed)) and a.file_id = d.file
                   and a.attempt = d.attempt),
            first_tries as (
                insert into attempts (file_id, attempt, worker, started_at, ended_at, outcome)
                select file, attempt, :worker, started, now(), 'DONE' from done where not claimed)
            update files f set status = 'DONE', attempts = d.attempt, dataset = d.dataset, storage = d.storage,
                   table_name = d."table", records = d.records, report = d.report, error = null, error_class = null,
                   next_attempt_at = null, finished_at = now(), updated_at = now()
              from done d
             where f.id = any(array(select file from done)) and f.id = d.file
            """;

    /**
     * A try failed and the file is to be tried again, unless its job was cancelled: then it ends CANCELLED. (A cancel
     * that commits just after this is caught when the message comes back: the claim ends the file CANCELLED.)
     */
    private static final String RETRYING = """
            with job as (select j.cancelled_at is not null as cancelled
                           from jobs j join files f on f.job_id = j.id where f.id = :file)
            update files set status = case when (select cancelled from job) then 'CANCELLED' else 'RETRYING' end,
                   error = :error, error_class = :errorClass, updated_at = now(),
                   next_attempt_at = case when (select cancelled from job) then null
                                          else now() + make_interval(secs => :delay) end,
                   finished_at = case when (select cancelled from job) then now() end
             where id = :file and status = 'PROCESSING'
            returning status
            """;

    private static final String FAILED = """
            update files set status = 'FAILED', error = :error, error_class = :errorClass, next_attempt_at = null,
                   finished_at = now(), updated_at = now()
             where id = :file and status not in ('DONE', 'CANCELLED')
            """;
    private static final String END_ATTEMPT = """
            update attempts set ended_at = now(), outcome = :outcome, error = :error, stack_trace = :stack
             where file_id = :file and attempt = :attempt
            """;

    private final JdbcClient sql;
    private final DataSource dataSource;

    FileStates(JdbcClient sql, DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = sql;
    }

    /** A delivery's file was dead-lettered before and has been moved back to the work queue: a fresh budget. */
    void replayed(UUID fileId) {
        sql.sql(REPLAYED).param("file", fileId).update();
    }

    /**
     * Starts an attempt at each file of up to {@code maxSize} bytes, unless it already ended (a redelivery) or its
     * message does not match it.
     *
     * @return the claims by file id, in no particular order
     */
    Map<UUID, Claim> claim(List<FileMessage> work, String worker, long maxSize) {
        if (work.isEmpty()) {
            return new HashMap<>();
        }
        List<Map<String, UUID>> rows = work.stream()
                .map(file -> Map.of("file", file.fileId(), "job", file.jobId()))
                .toList();
        return claims(sql.sql(CLAIM)
                .param("work", JsonRecords.MAPPER.writeValueAsString(rows))
                .param("worker", worker)
                .param("chunk", ContentChunks.SIZE)
                .param("maxSize", maxSize)
                .query((rs, n) -> claimOf(rs, true, 0)));
    }

    /**
     * First deliveries of files of up to {@code maxSize} bytes that are still to be tried, read without a write:
     * each claim is of the attempt the storing transaction will record (one after the file's attempts so far).
     *
     * @return the claims by file id, of the files whose message matches their row
     */
    Map<UUID, Claim> firstTries(List<FileMessage> work, long maxSize) {
        if (work.isEmpty()) {
            return new HashMap<>();
        }
        Map<UUID, UUID> jobOfFile = new HashMap<>();
        work.forEach(file -> jobOfFile.put(file.fileId(), file.jobId()));
        Map<UUID, Claim> claims = claims(sql.sql(FIRST_TRIES)
                .param("files", jobOfFile.keySet().toArray(UUID[]::new))
                .param("chunk", ContentChunks.SIZE)
                .param("maxSize", maxSize)
                .query((rs, n) -> claimOf(rs, false, 1)));
        claims.values().removeIf(claim -> !claim.jobId().equals(jobOfFile.get(claim.fileId())));
        return claims;
    }

    private Claim claimOf(java.sql.ResultSet rs, boolean claimed, int nextAttempt) throws java.sql.SQLException {
        UUID fileId = rs.getObject("id", UUID.class);
        int attempt = rs.getInt("attempts") + nextAttempt;
        return new Claim(
                fileId,
                rs.getObject("job_id", UUID.class),
                attempt,
                attempt - rs.getInt("budget_start"),
                claimed,
                Instant.now(),
                rs.getString("name"),
                rs.getString("content_type"),
                FileContent.of(dataSource, fileId, rs.getLong("size_bytes"), rs.getBytes("content")),
                rs.getString("tenant"),
                rs.getString("dataset"));
    }

    private static Map<UUID, Claim> claims(JdbcClient.MappedQuerySpec<Claim> query) {
        Map<UUID, Claim> claims = new HashMap<>();
        query.list().forEach(claim -> claims.put(claim.fileId(), claim));
        return claims;
    }

    /** A file's row as the storing transaction found it, locked. */
    record Locked(FileStatus status, int attempts) {}

    /**
     * In the storing transaction: locks the files' rows (in id order, so that two deliveries of overlapping files
     * never deadlock) so that only one delivery stores each file; says what each file's row holds then.
     */
    Map<UUID, Locked> lockForStoring(Collection<UUID> fileIds) {
        Map<UUID, Locked> rows = new HashMap<>();
        sql.sql(LOCK_FILES).param("files", fileIds.toArray(UUID[]::new)).query(rs -> {
            rows.put(
                    rs.getObject("id", UUID.class),
                    new Locked(FileStatus.valueOf(rs.getString("status")), rs.getInt("attempts")));
        });
        return rows;
    }

    /** A file stored in the transaction, with the dataset it went to and the analysis report. */
    record Done(Claim claim, String dataset, Stored stored, FileReport report) {}

    /** In the storing transaction: the stored files end DONE, each with its attempt. */
    void done(List<Done> files, String worker) {
        List<Map<String, Object>> rows = files.stream()
                .map(done -> {
                    Map<String, Object> row = new HashMap<>();
                    row.put("file", done.claim().fileId());
                    row.put("attempt", done.claim().attempt());
                    row.put("claimed", done.claim().claimed());
                    row.put("started", done.claim().started().toString());
                    row.put("dataset", done.dataset());
                    row.put("storage", done.stored().storage().name());
                    row.put("table", done.stored().table());
                    row.put("records", done.stored().records());
                    row.put("report", done.report());
                    return row;
                })
                .toList();
        sql.sql(DONE)
                .param("done", JsonRecords.MAPPER.writeValueAsString(rows))
                .param("worker", worker)
                .update();
    }

    /** @return false if the file's job was cancelled, so that the file ended CANCELLED instead */
    boolean retrying(Claim claim, Failure failure, Duration delay) {
        boolean cancelled = sql.sql(RETRYING)
                .param("error", failure.describe())
                .param("errorClass", failure.errorClass())
                .param("delay", delay.toMillis() / 1000.0)
                .param("file", claim.fileId())
                .query(String.class)
                .optional()
                .filter(FileStatus.CANCELLED.name()::equals)
                .isPresent();
        endAttempt(claim, "RETRY", failure);
        return !cancelled;
    }

    void failed(Claim claim, Failure failure) {
        sql.sql(FAILED)
                .param("error", failure.describe())
                .param("errorClass", failure.errorClass())
                .param("file", claim.fileId())
                .update();
        endAttempt(claim, "FAILED", failure);
    }

    void duplicate(Claim claim) {
        endAttempt(claim, "DUPLICATE", null);
    }

    private void endAttempt(Claim claim, String outcome, Failure failure) {
        sql.sql(END_ATTEMPT)
                .param("outcome", outcome)
                .param("error", failure == null ? null : failure.describe())
                .param("stack", failure == null ? null : failure.stackTrace())
                .param("file", claim.fileId())
                .param("attempt", claim.attempt())
                .update();
    }
}
