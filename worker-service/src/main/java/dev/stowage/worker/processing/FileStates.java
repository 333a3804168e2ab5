package dev.stowage.worker.processing;

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
    /** Attempts still open when a new one starts were cut short: their worker died (or lost its connection). */
    private static final String LOST = """
            update attempts set ended_at = now(), outcome = 'LOST',
                   error = 'The worker stopped before recording an outcome (killed, out of memory, or disconnected).'
             where file_id = :file and outcome is null
            """;

    private static final String CLAIM = """
            update files f
               set status = 'PROCESSING', attempts = f.attempts + 1, updated_at = now(), next_attempt_at = null
              from jobs j
             where f.id = :file and f.job_id = :job and j.id = f.job_id and f.status not in ('DONE', 'FAILED')
            returning f.attempts, f.budget_start, f.name, f.content_type, f.size_bytes, j.tenant, j.dataset
            """;
    private static final String START_ATTEMPT =
            "insert into attempts (file_id, attempt, worker) values (:file, :attempt, :worker)";
    /**
     * Waits (up to the lock timeout) rather than skips: the gateway also locks file rows briefly (marking them
     * published), so a locked row does not mean that another delivery is storing the file.
     */
    private static final String LOCK_FILE = "select status from files where id = :file for update";

    private static final String TIMEOUTS =
            "select set_config('lock_timeout', :lock, true)," + " set_config('statement_timeout', :statement, true)";
    private static final String DONE = """
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
     * Runs in the caller's transaction.
     *
     * @param replayed the message was dead-lettered before and has been moved back to the work queue
     */
    Optional<Claim> claim(UUID fileId, UUID jobId, String worker, boolean replayed) {
        if (replayed) {
            sql.sql(REPLAYED).param("file", fileId).update();
        }
        sql.sql(LOST).param("file", fileId).update();
        Optional<Claim> claim = sql.sql(CLAIM)
                .param("file", fileId)
                .param("job", jobId)
                .query((rs, n) -> new Claim(
                        fileId,
                        jobId,
                        rs.getInt("attempts"),
                        rs.getInt("attempts") - rs.getInt("budget_start"),
                        rs.getString("name"),
                        rs.getString("content_type"),
                        rs.getLong("size_bytes"),
                        rs.getString("tenant"),
                        rs.getString("dataset")))
                .optional();
        claim.ifPresent(c -> sql.sql(START_ATTEMPT)
                .param("file", fileId)
                .param("attempt", c.attempt())
                .param("worker", worker)
                .update());
        return claim;
    }

    FileContent content(Claim claim) {
        return FileContent.of(sql, dataSource, claim.fileId(), claim.sizeBytes());
    }

    /** In the storing transaction: bounds waits, then locks the file row so that only one delivery stores it. */
    FileStatus lockForStoring(UUID fileId, Duration lockTimeout, Duration statementTimeout) {
        sql.sql(TIMEOUTS)
                .param("lock", lockTimeout.toMillis() + "ms")
                .param("statement", statementTimeout.toMillis() + "ms")
                .query()
                .singleRow();
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
                .update();
        endAttempt(claim, "DONE", null);
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
