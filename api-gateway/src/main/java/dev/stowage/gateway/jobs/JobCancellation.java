// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels a job: in one transaction its files not yet started (QUEUED, or RETRYING between two tries) end
 * CANCELLED and the job is marked. Files being processed finish; a worker that later takes a cancelled file's
 * message finds it ended and drops it, and a file of a cancelled job whose try fails, or whose message comes back,
 * ends CANCELLED instead of being tried again (FileStates in the worker).
 *
 * <p>The files are locked in id order, the order in which workers lock the files they store, so a cancel never
 * deadlocks with a worker; a file a worker is storing right now is waited for and, once DONE, left alone. The job
 * is marked last, with the time the cancel took effect, so that its row is locked only for a moment: every attempt
 * of the job started before that time.
 */
@Service
class JobCancellation {

    private static final String JOB = """
            select j.cancelled_at is not null as cancelled,
                   exists (select 1 from files f where f.job_id = j.id
                              and f.status not in ('DONE', 'FAILED', 'CANCELLED')) as running
              from jobs j where j.id = :job and j.tenant = :tenant
            """;
    private static final String CANCEL_FILES = """
            with waiting as (
                select id from files where job_id = :job and status in ('QUEUED', 'RETRYING') order by id for update)
            update files f set status = 'CANCELLED', next_attempt_at = null, finished_at = now(), updated_at = now()
              from waiting w where f.id = w.id
            """;
    private static final String MARK_JOB =
            "update jobs set cancelled_at = clock_timestamp() where id = :job and cancelled_at is null";
    /** Tells the gateways' views, which no file row did if every file left was running. */
    private static final String NOTIFY = "select pg_notify(current_schema() || '.jobs', cast(:job as text))";

    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final Counter cancelledFiles;

    JobCancellation(JdbcClient sql, TransactionTemplate transaction, MeterRegistry meters) {
        this.sql = sql;
        this.transaction = transaction;
        this.cancelledFiles = Counter.builder("stowage.files.cancelled")
                .description("Files that ended CANCELLED because their job was cancelled before they started")
                .register(meters);
    }

    /**
     * Cancels the tenant's job, or does nothing if it was cancelled already.
     *
     * @throws ApiProblem not-found for no such job of the tenant, job-ended for a job that ended uncancelled
     */
    void cancel(String tenant, UUID jobId) {
        Integer cancelled = transaction.execute(tx -> {
            JobState state = sql.sql(JOB)
                    .param("job", jobId)
                    .param("tenant", tenant)
                    .query((rs, n) -> new JobState(rs.getBoolean("cancelled"), rs.getBoolean("running")))
                    .optional()
                    .orElseThrow(() -> ApiProblem.notFound("job", jobId));
            if (state.cancelled()) {
                return 0;
            }
            if (!state.running()) {
                throw new ApiProblem(
                        ProblemType.JOB_ENDED, "Job " + jobId + " has ended: there is nothing left to cancel.");
            }
            int files = sql.sql(CANCEL_FILES).param("job", jobId).update();
            sql.sql(MARK_JOB).param("job", jobId).update();
            sql.sql(NOTIFY).param("job", jobId).query().singleValue();
            return files;
        });
        cancelledFiles.increment(cancelled == null ? 0 : cancelled);
    }

    private record JobState(boolean cancelled, boolean running) {}
}
