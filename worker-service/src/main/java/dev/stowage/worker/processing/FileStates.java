package dev.stowage.worker.processing;

import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileStatus;
import dev.stowage.worker.storage.FileContent;
import dev.stowage.worker.storage.Stored;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The file's state machine in SQL: claim an attempt, then end it as DONE, RETRY, FAILED or DUPLICATE. */
@Repository
class FileStates {

    /** A message that went through the DLQ and came back (e.g. moved in the management UI): a fresh budget. */
    private static final String REPLAYED = """
            update files set status = 'QUEUED', budget_start = attempts, error = null, error_class = null,
                   finished_at = null, next_attempt_at = null, updated_at = now()
             where id = :file and status <> 'DONE'
            """;
    /**
     * One statement, one round trip: attempts still open were cut short (their worker died or lost its connection)
     * and become LOST; the file becomes PROCESSING with a new attempt; a file of one chunk comes with its bytes.
     * Its commit need not wait for the disk: a claim lost in a database crash only means that the redelivered
     * message claims the file again.
     */
    private static final String CLAIM = """
            with no_fsync as (select set_config('synchronous_commit', 'off', true)),
            lost as (
                update attempts set ended_at = now(), outcome = 'LOST',
                       error = 'The worker stopped before recording an outcome (killed, out of memory, or disconnected).'
                 where file_id = :file and outcome is null),
            claimed as (
                update files f
                   set status = 'PROCESSING', attempts = f.attempts + 1, updated_at = now(), next_attempt_at = null
                  from jobs j
                 where f.id = :file and f.job_id = :job and j.id = f.job_id and f.status not in ('DONE', 'FAILED')
                returning f.id, f.attempts, f.budget_start, f.name, f.content_type, f.size_bytes, j.tenant, j.dataset),
            started as (insert into attempts (file_id, attempt, worker) select id, attempts, :worker from claimed)
            select c.*,
                   (select bytes from file_chunks k where k.file_id = c.id and k.chunk = 0 and c.size_bytes <= :chunk)
                       as content
              from claimed c, no_fsync
            """;
    /**
     * Waits (up to the lock timeout) rather than skips: the gateway also locks file rows briefly (marking them
     * published), so a locked row does not mean that another delivery is storing the file.
     */
    private static final String LOCK_FILE = "select status from files where id = :file for update";

    private static final String DONE = """
            with attempt as (
                update attempts set ended_at = now(), outcome = 'DONE'
                 where file_id = :file and attempt = :attempt)
            update files set status = 'DONE', dataset = :dataset, storage = :storage, table_name = :table,
                   records = :records,
                   report = cast(:report as jsonb), error = null, error_class = null, finished_at = now(),
                   updated_at = now()
             where id = :file
            """;
    private static final String RETRYING = """
            update files set status = 'RETRYING', error = :error, error_class = :errorClass,
                   next_attempt_at = now() + make_interval(secs => :delay), updated_at = now()
             where id = :file and status = 'PROCESSING'
            """;
    private static final String FAILED = """
            update files set status = 'FAILED', error = :error, error_class = :errorClass, next_attempt_at = null,
                   finished_at = now(), updated_at = now()
             where id = :file and status <> 'DONE'
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

    /**
     * Starts an attempt, unless the file already ended (a redelivery) or the message does not match the file.
     *
     * @param replayed the message was dead-lettered before and has been moved back to the work queue
     */
    Optional<Claim> claim(UUID fileId, UUID jobId, String worker, boolean replayed) {
        if (replayed) {
            sql.sql(REPLAYED).param("file", fileId).update();
        }
        return sql.sql(CLAIM)
                .param("file", fileId)
                .param("job", jobId)
                .param("worker", worker)
                .param("chunk", ContentChunks.SIZE)
                .query((rs, n) -> new Claim(
                        fileId,
                        jobId,
                        rs.getInt("attempts"),
                        rs.getInt("attempts") - rs.getInt("budget_start"),
                        rs.getString("name"),
                        rs.getString("content_type"),
                        FileContent.of(dataSource, fileId, rs.getLong("size_bytes"), rs.getBytes("content")),
                        rs.getString("tenant"),
                        rs.getString("dataset")))
                .optional();
    }

    /** In the storing transaction: locks the file row so that only one delivery stores it. */
    FileStatus lockForStoring(UUID fileId) {
        return FileStatus.valueOf(
                sql.sql(LOCK_FILE).param("file", fileId).query(String.class).single());
    }

    void done(Claim claim, String dataset, Stored stored, String report) {
        sql.sql(DONE)
                .param("dataset", dataset)
                .param("storage", stored.storage().name())
                .param("table", stored.table())
                .param("records", stored.records())
                .param("report", report)
                .param("file", claim.fileId())
                .param("attempt", claim.attempt())
                .update();
    }

    void retrying(Claim claim, Failure failure, Duration delay) {
        sql.sql(RETRYING)
                .param("error", failure.describe())
                .param("errorClass", failure.errorClass())
                .param("delay", delay.toMillis() / 1000.0)
                .param("file", claim.fileId())
                .update();
        endAttempt(claim, "RETRY", failure);
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
