// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import dev.stowage.model.FileStatus;
import dev.stowage.model.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads jobs with their progress, counted from the files' rows of the same statement, so a snapshot is always
 * consistent: the counts add up to the total and the status agrees with them.
 */
@Repository
public class JobQueries {

    /** Per job: its row and its files counted by status. */
    private static final String JOBS_WITH_COUNTS = """
            with counted as (
              select j.id, j.dataset, j.total, j.created_at, j.cancelled_at,
                     count(*) filter (where f.status = 'QUEUED') as queued,
                     count(*) filter (where f.status = 'PROCESSING') as processing,
                     count(*) filter (where f.status = 'RETRYING') as retrying,
                     count(*) filter (where f.status = 'DONE') as done,
                     count(*) filter (where f.status = 'FAILED') as failed,
                     count(*) filter (where f.status = 'CANCELLED') as cancelled,
                     greatest(j.created_at, max(f.updated_at)) as updated_at,
                     max(f.finished_at) as last_finished_at
                from jobs j join files f on f.job_id = j.id
               where j.tenant = :tenant %s
               group by j.id
            )
            select *, case when done + failed + cancelled = total then
                                   case when cancelled_at is not null then 'CANCELLED'
                                        when failed = 0 then 'DONE'
                                        when done = 0 then 'FAILED'
                                        else 'PARTIALLY_FAILED' end
                           when queued = total then 'QUEUED'
                           else 'PROCESSING' end as status
              from counted
            """;

    /** One job with its files, in one statement: the counts are the files' statuses counted here. */
    private static final String ONE_JOB = """
            select j.dataset, j.total, j.created_at as job_created_at, j.cancelled_at, f.id, f.name, f.size_bytes, f.status,
                   f.attempts, f.storage, f.table_name, f.records, f.error, f.updated_at, f.finished_at
              from jobs j join files f on f.job_id = j.id
             where j.id = :id and j.tenant = :tenant
             order by f.ordinal
            """;

    /** The dataset filter applies to the jobs' rows, before their files are counted. */
    private static final String PAGE_OF_JOBS = "select * from ("
            + JOBS_WITH_COUNTS.formatted("and (cast(:dataset as text) is null or j.dataset = :dataset)")
            + ") jobs where (cast(:status as text) is null or status = :status)"
            + " order by created_at desc, id limit :limit offset :offset";

    private final JdbcClient sql;

    JobQueries(JdbcClient sql) {
        this.sql = sql;
    }

    /** The job with its files as {@code GET /api/v1/jobs/{id}} shows it; empty for another tenant's. */
    public Optional<JobView> find(String tenant, UUID jobId) {
        return sql.sql(ONE_JOB).param("tenant", tenant).param("id", jobId).query(rs -> {
            if (!rs.next()) {
                return Optional.empty();
            }
            String dataset = rs.getString("dataset");
            int total = rs.getInt("total");
            OffsetDateTime createdAt = rs.getObject("job_created_at", OffsetDateTime.class);
            OffsetDateTime cancelledAt = rs.getObject("cancelled_at", OffsetDateTime.class);
            OffsetDateTime updatedAt = createdAt;
            OffsetDateTime lastFinished = null;
            int[] counts = new int[FileStatus.values().length];
            List<JobView.FileSummary> files = new ArrayList<>(total);
            do {
                FileStatus status = FileStatus.valueOf(rs.getString("status"));
                counts[status.ordinal()]++;
                updatedAt = later(updatedAt, rs.getObject("updated_at", OffsetDateTime.class));
                lastFinished = later(lastFinished, rs.getObject("finished_at", OffsetDateTime.class));
                files.add(new JobView.FileSummary(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getLong("size_bytes"),
                        status,
                        rs.getInt("attempts"),
                        rs.getString("storage"),
                        rs.getString("table_name"),
                        rs.getObject("records", Long.class),
                        rs.getString("error")));
            } while (rs.next());
            JobView.Progress progress = JobView.Progress.of(
                    total,
                    counts[FileStatus.QUEUED.ordinal()],
                    counts[FileStatus.PROCESSING.ordinal()],
                    counts[FileStatus.RETRYING.ordinal()],
                    counts[FileStatus.DONE.ordinal()],
                    counts[FileStatus.FAILED.ordinal()],
                    counts[FileStatus.CANCELLED.ordinal()]);
            return Optional.of(new JobView(
                    jobId,
                    progress.status(cancelledAt != null),
                    dataset,
                    progress,
                    createdAt,
                    updatedAt,
                    progress.ended() ? lastFinished : null,
                    cancelledAt,
                    files));
        });
    }

    private static @Nullable OffsetDateTime later(@Nullable OffsetDateTime a, @Nullable OffsetDateTime b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    List<JobView> page(String tenant, @Nullable JobStatus status, @Nullable String dataset, int page, int size) {
        return sql.sql(PAGE_OF_JOBS)
                .param("tenant", tenant)
                .param("status", status == null ? null : status.name())
                .param("dataset", dataset)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query((rs, n) -> job(rs, List.of()))
                .list();
    }

    private static JobView job(ResultSet rs, List<JobView.FileSummary> files) throws SQLException {
        int total = rs.getInt("total");
        int done = rs.getInt("done");
        int failed = rs.getInt("failed");
        JobView.Progress progress = JobView.Progress.of(
                total,
                rs.getInt("queued"),
                rs.getInt("processing"),
                rs.getInt("retrying"),
                done,
                failed,
                rs.getInt("cancelled"));
        OffsetDateTime cancelledAt = rs.getObject("cancelled_at", OffsetDateTime.class);
        return new JobView(
                rs.getObject("id", UUID.class),
                progress.status(cancelledAt != null),
                rs.getString("dataset"),
                progress,
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                progress.ended() ? rs.getObject("last_finished_at", OffsetDateTime.class) : null,
                cancelledAt,
                files);
    }
}
