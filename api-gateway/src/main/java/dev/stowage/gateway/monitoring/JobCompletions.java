// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.monitoring;

import dev.stowage.model.JobStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code stowage_job_duration_seconds{outcome}}: from upload to the last file's end, recorded once per job when it
 * has ended. A job's end is only known from all its files' rows together, so the gateway looks for newly ended jobs
 * on a schedule; marking them in the same statement makes each job counted once even with several gateways.
 */
@Component
class JobCompletions {

    private static final Logger log = LoggerFactory.getLogger(JobCompletions.class);

    /**
     * Newly ended jobs, each marked in the same statement so that it is counted once. Pending jobs are taken a
     * bounded batch at a time (newest day only: jobs that never end are the re-driver's business) and each is
     * looked at through its own files (index on job and status), so the cost follows the pending jobs, not the
     * whole files table.
     */
    private static final String ENDED = """
            update jobs j set completion_recorded_at = now()
              from (select p.id, ended.finished_at, ended.all_done, ended.any_done, p.cancelled
                      from (select id, cancelled_at is not null as cancelled from jobs
                             where completion_recorded_at is null
                               and created_at > now() - interval '1 day' order by created_at limit 500) p
                     cross join lateral (
                            select max(f.finished_at) as finished_at, bool_and(f.status = 'DONE') as all_done,
                                   bool_or(f.status = 'DONE') as any_done,
                                   bool_and(f.status in ('DONE', 'FAILED', 'CANCELLED')) as all_ended
                              from files f where f.job_id = p.id) ended
                     where ended.all_ended) ended
             where j.id = ended.id and j.completion_recorded_at is null
            returning extract(epoch from ended.finished_at - j.created_at) as seconds, ended.all_done, ended.any_done,
                      ended.cancelled
            """;

    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final TaskScheduler scheduler;
    private final MeterRegistry meters;

    JobCompletions(JdbcClient sql, TransactionTemplate transaction, TaskScheduler scheduler, MeterRegistry meters) {
        this.sql = sql;
        this.transaction = transaction;
        this.scheduler = scheduler;
        this.meters = meters;
        for (JobStatus outcome :
                List.of(JobStatus.DONE, JobStatus.PARTIALLY_FAILED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            timer(outcome); // present from the start, so rates and alerts have a series to work on
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::recordEnded, QueueMetrics.REFRESH);
    }

    private record Ended(JobStatus outcome, double seconds) {}

    void recordEnded() {
        try {
            List<Ended> ended = transaction.execute(tx -> {
                QueueMetrics.preferIndexes(sql);
                return sql.sql(ENDED)
                        .query((rs, n) -> new Ended(outcome(rs), rs.getDouble("seconds")))
                        .list();
            });
            // Recorded once the marks are committed, so that a failed pass counts nothing twice.
            ended.forEach(job -> timer(job.outcome()).record(Duration.ofNanos((long) (job.seconds() * 1e9))));
        } catch (RuntimeException e) {
            log.debug("Job completions not readable: {}", e.toString());
        }
    }

    private static JobStatus outcome(java.sql.ResultSet rs) throws java.sql.SQLException {
        if (rs.getBoolean("cancelled")) {
            return JobStatus.CANCELLED;
        }
        return rs.getBoolean("all_done")
                ? JobStatus.DONE
                : rs.getBoolean("any_done") ? JobStatus.PARTIALLY_FAILED : JobStatus.FAILED;
    }

    private Timer timer(JobStatus outcome) {
        return Timer.builder("stowage.job.duration")
                .description("Time from a job's upload to the end of its last file")
                .tag("outcome", outcome.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(meters);
    }
}
