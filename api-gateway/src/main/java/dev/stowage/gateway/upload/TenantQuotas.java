// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refuses an upload that would take its tenant past {@link TenantLimits} with a 429 {@code quota-exceeded} that
 * names the limit, the tenant's current value, the maximum and its variable, and a {@code Retry-After}. Checked
 * twice: before the upload's bytes are read ({@link #check} without a job: a refused client does not send its
 * bytes to the database for nothing), and again at the end of the transaction that stores the job, under a
 * per-tenant advisory lock ({@link #enforce}), so that concurrent uploads of a tenant cannot all pass on the same
 * count: the lock is taken last and held only until the commit, so uploads still stream in parallel.
 */
@Component
class TenantQuotas {

    static final String WAITING_FILES = "waiting-files";
    static final String UPLOADS_PER_MINUTE = "uploads-per-minute";
    /** No one knows when workers will have taken enough files: a guess that keeps retries sparse, documented. */
    static final Duration WAITING_FILES_RETRY = Duration.ofSeconds(30);

    static final Duration WINDOW = Duration.ofSeconds(60);

    /** At most {@code :limit} of the tenant's waiting files (index files_waiting_by_tenant): enough to decide. */
    private static final String WAITING = """
            select count(*) from (select 1 from files where tenant = :tenant and status in ('QUEUED', 'RETRYING')
                                   limit :limit) w
            """;

    /** The tenant's newest jobs in the window, other than this one, newest first (index jobs_by_tenant_newest). */
    private static final String RECENT = """
            select created_at from jobs where tenant = :tenant and id <> :job and created_at > :since
             order by created_at desc limit :limit
            """;

    /** The lock of one tenant's quota, per schema (several deployments or test runs may share a database). */
    private static final String LOCK =
            "select pg_advisory_xact_lock(hashtextextended(current_schema() || '.tenant-quota.' || :tenant, 0))";

    private static final UUID NO_JOB = new UUID(0, 0);

    private final JdbcClient sql;
    private final TenantLimits limits;
    private final Map<String, Counter> refused;

    TenantQuotas(JdbcClient sql, TenantLimits limits, MeterRegistry meters) {
        this.sql = sql;
        this.limits = limits;
        this.refused = Map.of(
                WAITING_FILES, refusedCounter(meters, WAITING_FILES),
                UPLOADS_PER_MINUTE, refusedCounter(meters, UPLOADS_PER_MINUTE));
    }

    private static Counter refusedCounter(MeterRegistry meters, String limit) {
        return Counter.builder("stowage.uploads.refused")
                .description("Uploads refused with 429 because the tenant was over a quota")
                .tag("limit", limit)
                .register(meters);
    }

    /** Before anything is stored: refuses an upload of {@code files} files that would pass a limit. */
    void check(String tenant, int files, OffsetDateTime now) {
        check(tenant, files, NO_JOB, now);
    }

    /**
     * At the end of the transaction that stored {@code job}: takes the tenant's lock (until the commit) and counts
     * again, the job's own files counted as this upload's; a refusal rolls the transaction back.
     */
    void enforce(String tenant, int files, UUID job, OffsetDateTime now) {
        sql.sql(LOCK).param("tenant", tenant).query().singleRow();
        check(tenant, files, job, now);
    }

    /**
     * @param job the upload's job, already inserted in this transaction (its files wait too), or {@link #NO_JOB}
     */
    private void check(String tenant, int files, UUID job, OffsetDateTime now) {
        int maxUploads = limits.maxUploadsPerMinute();
        List<OffsetDateTime> recent = sql.sql(RECENT)
                .param("tenant", tenant)
                .param("job", job)
                .param("since", now.minus(WINDOW))
                .param("limit", maxUploads)
                .query(OffsetDateTime.class)
                .list();
        if (recent.size() >= maxUploads) {
            // Fits once fewer than the maximum are in the window: when the oldest of the newest maxUploads leaves.
            OffsetDateTime leaves = recent.get(maxUploads - 1).plus(WINDOW);
            long seconds = Math.max(1, (Duration.between(now, leaves).toMillis() + 999) / 1000);
            long current = sql.sql("select count(*) from jobs where tenant = :tenant and id <> :job"
                            + " and created_at > :since")
                    .param("tenant", tenant)
                    .param("job", job)
                    .param("since", now.minus(WINDOW))
                    .query(Long.class)
                    .single();
            String detail = ("Tenant %s made %d uploads in the last minute, the most allowed (%s=%d). Nothing was"
                            + " accepted: try again in %d s (Retry-After).")
                    .formatted(
                            ApiProblem.shown(tenant),
                            current,
                            TenantLimits.MAX_UPLOADS_PER_MINUTE,
                            maxUploads,
                            seconds);
            throw refuse(UPLOADS_PER_MINUTE, current, maxUploads, TenantLimits.MAX_UPLOADS_PER_MINUTE, seconds, detail);
        }
        int maxWaiting = limits.maxWaitingFiles();
        // Counted with the upload's own files once they are inserted (the index has them), else without.
        long own = job.equals(NO_JOB) ? 0 : files;
        long room = (long) maxWaiting - files + own;
        long waiting = room < 0 ? 0 : waiting(tenant, room + 1);
        if (waiting > room) {
            long current = waiting(tenant, Long.MAX_VALUE) - own;
            long seconds = WAITING_FILES_RETRY.toSeconds();
            String detail = ("Tenant %s has %d files waiting (QUEUED or RETRYING); with this upload's %d it would"
                            + " have more than %d (%s). Nothing was accepted: try again after Retry-After seconds,"
                            + " once workers have taken some.")
                    .formatted(ApiProblem.shown(tenant), current, files, maxWaiting, TenantLimits.MAX_WAITING_FILES);
            throw refuse(WAITING_FILES, current, maxWaiting, TenantLimits.MAX_WAITING_FILES, seconds, detail);
        }
    }

    private long waiting(String tenant, long limit) {
        return sql.sql(WAITING)
                .param("tenant", tenant)
                .param("limit", limit)
                .query(Long.class)
                .single();
    }

    private ApiProblem refuse(
            String limit, long current, int maximum, String variable, long retryAfter, String detail) {
        refused.get(limit).increment();
        return new ApiProblem(ProblemType.QUOTA_EXCEEDED, detail)
                .with("limit", limit)
                .with("current", current)
                .with("maximum", maximum)
                .with("variable", variable)
                .header("Retry-After", String.valueOf(retryAfter));
    }
}
