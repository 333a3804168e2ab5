// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The {@code Idempotency-Key}s of uploads ({@code idempotency_keys}, migration V8): for 24 hours a tenant's key
 * names the job its first request made, with that request's {@link RequestHash}. A row is only ever written in the
 * transaction that stores its job ({@link #claim}); rows older than 24 hours count as absent, are overwritten by a
 * new request with the key, and are deleted every {@link #PURGE_EVERY}.
 */
@Component
class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;
    static final Duration KEPT = Duration.ofHours(24);
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final String FRESH = "created_at > now() - make_interval(hours => 24)";
    private static final String STALE = "created_at <= now() - make_interval(hours => 24)";

    /** A key's row: what its first request hashed to, and the job it made. */
    record Stored(byte[] requestHash, UUID jobId) {}

    private final JdbcClient sql;
    private final TaskScheduler scheduler;

    IdempotencyKeys(JdbcClient sql, TaskScheduler scheduler) {
        this.sql = sql;
        this.scheduler = scheduler;
    }

    /**
     * The request's key: absent is null; given twice, empty, longer than {@value #MAX_LENGTH} characters or with a
     * character that is not printable ASCII is a 400 that names the header.
     */
    static @Nullable String of(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(HEADER));
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiProblem(
                    ProblemType.INVALID_PARAMETER,
                    "Header '" + HEADER + "' was given " + values.size() + " times: give it once.");
        }
        String key = values.get(0);
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new ApiProblem(
                    ProblemType.INVALID_PARAMETER,
                    "Header '" + HEADER + "' is " + ApiProblem.shown(key) + ": it must be 1 to " + MAX_LENGTH
                            + " printable ASCII characters (a UUID, say), the same for every retry of one upload.");
        }
        return key;
    }

    /** The key's row if it is younger than 24 hours; in the caller's transaction, if any. */
    Optional<Stored> find(String tenant, String key) {
        return sql.sql("select request_hash, job_id from idempotency_keys where tenant = :tenant and key = :key and "
                        + FRESH)
                .param("tenant", tenant)
                .param("key", key)
                .query((rs, n) -> new Stored(rs.getBytes("request_hash"), rs.getObject("job_id", UUID.class)))
                .optional();
    }

    /**
     * Writes the key's row for a job, in the transaction that stores the job; a row older than 24 hours is
     * overwritten. Another request's uncommitted row for the key makes this wait until that transaction ends.
     *
     * @return false when a row younger than 24 hours holds the key: another request's, which committed first
     */
    boolean claim(String tenant, String key, byte[] requestHash, UUID jobId) {
        return sql.sql("insert into idempotency_keys (tenant, key, request_hash, job_id, created_at)"
                                + " values (:tenant, :key, :hash, :job, now())"
                                + " on conflict (tenant, key) do update set request_hash = excluded.request_hash,"
                                + " job_id = excluded.job_id, created_at = excluded.created_at"
                                + " where idempotency_keys." + STALE)
                        .param("tenant", tenant)
                        .param("key", key)
                        .param("hash", requestHash)
                        .param("job", jobId)
                        .update()
                > 0;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::purge, PURGE_EVERY);
    }

    /** Deletes the keys older than 24 hours: they no longer name their job. Several gateways may run it at once. */
    void purge() {
        try {
            int purged = sql.sql("delete from idempotency_keys where " + STALE).update();
            if (purged > 0) {
                log.debug("{} idempotency keys older than {} purged", purged, KEPT);
            }
        } catch (RuntimeException e) {
            log.warn("Purging old idempotency keys failed (tried again in {}): {}", PURGE_EVERY, e.toString());
        }
    }
}
