// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.model.FileMessage;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the files whose upload could not get the broker's confirms (transactional outbox), and re-drives files
 * that stopped progressing (a dead worker whose message the broker dead-lettered, a lost message). Rows are locked
 * with {@code SKIP LOCKED}, so several gateways share the work; a message published twice is harmless because
 * workers skip files that already ended and never store one twice.
 */
@Component
class OutboxReconciler {

    private static final Logger log = LoggerFactory.getLogger(OutboxReconciler.class);

    /** Files of published jobs that should have ended by now: their worker died, or their message was lost. */
    private static final String STUCK = "select f.id, f.job_id from files f join jobs j on j.id = f.job_id"
            + " where f.status in ('QUEUED', 'PROCESSING', 'RETRYING') and j.published_at is not null"
            + " and greatest(f.updated_at, f.next_attempt_at) < now() - make_interval(secs => ?)"
            + " order by f.updated_at limit ? for update of f skip locked";

    private static final String TOUCH = "update files set updated_at = now() where id = any(?)";

    /**
     * Jobs not marked published, oldest first, and their queued files: a job is published whole, so that marking
     * it says every file has its message (a job holds at most the files of one upload).
     */
    private static final String UNPUBLISHED_JOBS = """
            select id from (select id, total, sum(total) over (order by created_at, id) as upto
                              from (select id, total, created_at from jobs
                                     where published_at is null and created_at < now() - make_interval(secs => ?)
                                     order by created_at, id limit ? for update skip locked) oldest) running
             where upto - total < ?
            """;

    private static final String QUEUED_FILES =
            "select id, job_id from files where job_id = any(?) and status = 'QUEUED' order by job_id, ordinal";

    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final WorkOutbox outbox;
    private final OutboxSettings settings;
    private final TaskScheduler scheduler;

    OutboxReconciler(
            JdbcClient sql,
            TransactionTemplate transaction,
            WorkOutbox outbox,
            OutboxSettings settings,
            TaskScheduler scheduler) {
        this.sql = sql;
        this.transaction = transaction;
        this.outbox = outbox;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::publishPending, settings.interval());
        scheduler.scheduleWithFixedDelay(this::redriveStuck, settings.interval());
    }

    /** Sends a new message for each stuck file; the worker's claim then counts the lost attempt against its budget. */
    void redriveStuck() {
        try {
            Integer redriven = transaction.execute(status -> {
                List<FileMessage> stuck = sql.sql(STUCK)
                        .param(settings.redriveAfter().toMillis() / 1000.0)
                        .param(settings.batchSize())
                        .query((rs, n) ->
                                new FileMessage(rs.getObject("job_id", UUID.class), rs.getObject("id", UUID.class)))
                        .list();
                if (!outbox.republish(stuck)) {
                    return 0;
                }
                sql.sql(TOUCH)
                        .param(stuck.stream().map(FileMessage::fileId).toArray(UUID[]::new))
                        .update();
                return stuck.size();
            });
            if (redriven != null && redriven > 0) {
                log.warn("Re-drove {} files that stopped progressing for {}", redriven, settings.redriveAfter());
            }
        } catch (RuntimeException e) {
            log.warn("Stuck-file pass failed, will try again: {}", e.toString());
        }
    }

    void publishPending() {
        try {
            Integer published = transaction.execute(status -> {
                // the oldest jobs, as many as hold up to a batch of files (at least one job)
                UUID[] jobs = sql.sql(UNPUBLISHED_JOBS)
                        .param(settings.publishAfter().toMillis() / 1000.0)
                        .param(settings.batchSize())
                        .param(settings.batchSize())
                        .query(UUID.class)
                        .list()
                        .toArray(UUID[]::new);
                if (jobs.length == 0) {
                    return 0;
                }
                List<FileMessage> pending = sql.sql(QUEUED_FILES)
                        .param(jobs)
                        .query((rs, n) ->
                                new FileMessage(rs.getObject("job_id", UUID.class), rs.getObject("id", UUID.class)))
                        .list();
                if (pending.isEmpty()) { // every file was taken by a worker meanwhile: nothing to send
                    outbox.markPublished(jobs);
                    return 0;
                }
                return outbox.publish(pending) ? pending.size() : 0;
            });
            if (published != null && published > 0) {
                log.info("Published {} files from the outbox", published);
            }
        } catch (RuntimeException e) {
            log.warn("Outbox pass failed, will try again: {}", e.toString());
        }
    }
}
