// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The deliveries' rows: what is still to be delivered, and how each try ended. */
@Repository
class WebhookDeliveries {

    private final JdbcClient sql;

    WebhookDeliveries(JdbcClient sql) {
        this.sql = sql;
    }

    /** A delivery still to be made, with what making it needs. */
    record Pending(UUID id, UUID jobId, String tenant, String url, int attempts) {}

    Optional<Pending> pending(UUID id) {
        return sql.sql("""
                        select d.id, d.job_id, j.tenant, d.url, d.attempts
                          from webhook_deliveries d join jobs j on j.id = d.job_id
                         where d.id = :id and d.status = 'PENDING'
                        """)
                .param("id", id)
                .query((rs, n) -> new Pending(
                        rs.getObject("id", UUID.class),
                        rs.getObject("job_id", UUID.class),
                        rs.getString("tenant"),
                        rs.getString("url"),
                        rs.getInt("attempts")))
                .optional();
    }

    /** Records a try; {@code status} is DELIVERED, PENDING (to be tried again) or FAILED (no more tries). */
    void tried(UUID id, String status, @Nullable Integer httpStatus, @Nullable String error) {
        sql.sql("""
                        update webhook_deliveries
                           set status = :status, attempts = attempts + 1, last_status = :httpStatus,
                               last_error = :error, updated_at = now(),
                               delivered_at = case when :status = 'DELIVERED' then now() end
                         where id = :id
                        """)
                .param("status", status)
                .param("httpStatus", httpStatus)
                .param("error", error)
                .param("id", id)
                .update();
    }

    /** A delivery as {@code GET /api/v1/jobs/{id}/deliveries} shows it. */
    record Delivery(
            UUID deliveryId,
            String url,
            String status,
            int attempts,
            @Nullable Integer lastStatus,
            @Nullable String lastError,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            @Nullable OffsetDateTime deliveredAt) {}

    List<Delivery> ofJob(UUID jobId) {
        return sql.sql("""
                        select id, url, status, attempts, last_status, last_error, created_at, updated_at, delivered_at
                          from webhook_deliveries where job_id = :job order by created_at
                        """)
                .param("job", jobId)
                .query((rs, n) -> new Delivery(
                        rs.getObject("id", UUID.class),
                        rs.getString("url"),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        rs.getObject("last_status", Integer.class),
                        rs.getString("last_error"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("updated_at", OffsetDateTime.class),
                        rs.getObject("delivered_at", OffsetDateTime.class)))
                .list();
    }

    /** The job's callback URL, if the tenant has such a job: empty for none; a present null for no URL. */
    Optional<Optional<String>> callbackOf(String tenant, UUID jobId) {
        return sql.sql("select callback_url from jobs where id = :job and tenant = :tenant")
                .param("job", jobId)
                .param("tenant", tenant)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
                .optional();
    }
}
