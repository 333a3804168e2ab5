// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.monitoring;

import dev.stowage.gateway.access.ApiKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code stowage_tenant_waiting_files{tenant}}: each tenant's files QUEUED or RETRYING, what
 * {@code STOWAGE_TENANT_MAX_WAITING_FILES} limits. One series per tenant that a key can act for ({@link
 * ApiKeys#tenants}), 0 when nothing waits: the number of series is the number of tenants an operator made keys for,
 * never what requests send. Refreshed every {@link QueueMetrics#REFRESH} by one grouped count; a tenant whose keys
 * were all revoked leaves the metric.
 */
@Component
class TenantMetrics {

    private static final Logger log = LoggerFactory.getLogger(TenantMetrics.class);

    /** Over the waiting files only (index files_waiting_by_tenant). */
    private static final String WAITING = """
            select tenant, count(*) as files from files where status in ('QUEUED', 'RETRYING') and tenant is not null
             group by tenant
            """;

    private final ApiKeys keys;
    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final TaskScheduler scheduler;
    private final MultiGauge waiting;

    TenantMetrics(
            ApiKeys keys,
            JdbcClient sql,
            TransactionTemplate transaction,
            TaskScheduler scheduler,
            MeterRegistry meters) {
        this.keys = keys;
        this.sql = sql;
        this.transaction = transaction;
        this.scheduler = scheduler;
        this.waiting = MultiGauge.builder("stowage.tenant.waiting.files")
                .description("Files of the tenant QUEUED or RETRYING (limited by STOWAGE_TENANT_MAX_WAITING_FILES)")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, QueueMetrics.REFRESH);
    }

    void refresh() {
        try {
            Map<String, Long> counts = new HashMap<>();
            transaction.executeWithoutResult(tx -> {
                QueueMetrics.preferIndexes(sql);
                sql.sql(WAITING)
                        .query((rs, n) -> counts.put(rs.getString("tenant"), rs.getLong("files")))
                        .list();
            });
            List<MultiGauge.Row<?>> rows = keys.tenants().stream()
                    .<MultiGauge.Row<?>>map(
                            tenant -> MultiGauge.Row.of(Tags.of("tenant", tenant), counts.getOrDefault(tenant, 0L)))
                    .toList();
            waiting.register(rows, true);
        } catch (RuntimeException e) {
            // The series keep their last values; the database's own metrics say why it could not be read.
            log.debug("Waiting files per tenant not readable: {}", e.toString());
        }
    }
}
