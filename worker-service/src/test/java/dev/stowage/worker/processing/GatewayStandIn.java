// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.awaitility.Awaitility.await;

import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts files in place as the gateway would (job and file rows, the bytes in chunks, one work message each), so
 * that a worker can be tested alone against the real database and broker.
 */
final class GatewayStandIn {

    private final JdbcClient sql;
    private final RabbitTemplate rabbit;
    private final Topology topology;

    GatewayStandIn(JdbcClient sql, RabbitTemplate rabbit, Topology topology) {
        this.sql = sql;
        this.rabbit = rabbit;
        this.topology = topology;
    }

    /** A new job of one file, published. */
    UUID submit(String name, String contentType, String dataset, byte[] bytes) {
        UUID job = UUID.randomUUID();
        UUID file = insertFile(job, name, contentType, dataset, bytes);
        publish(job, file);
        return file;
    }

    /** A file of {@code job} (made on first use, of the default tenant), not yet published. */
    UUID insertFile(UUID job, String name, String contentType, String dataset, byte[] bytes) {
        sql.sql("insert into jobs (id, tenant, dataset, total) values (?, 'default', ?, 1) on conflict do nothing")
                .params(job, dataset)
                .update();
        UUID file = UUID.randomUUID();
        int ordinal = sql.sql("select count(*) from files where job_id = ?")
                .param(job)
                .query(Integer.class)
                .single();
        sql.sql("insert into files (id, job_id, ordinal, name, content_type, size_bytes) values (?, ?, ?, ?, ?, ?)")
                .params(file, job, ordinal, name, contentType, bytes.length)
                .update();
        for (int chunk = 0; chunk < ContentChunks.count(bytes.length); chunk++) {
            int from = chunk * ContentChunks.SIZE;
            sql.sql(ContentChunks.INSERT)
                    .params(
                            file,
                            chunk,
                            Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + ContentChunks.SIZE)))
                    .update();
        }
        return file;
    }

    void publish(UUID job, UUID file) {
        rabbit.convertAndSend(topology.workExchange(), Topology.WORK_ROUTING_KEY, new FileMessage(job, file), m -> {
            m.getMessageProperties().setHeader(Topology.JOB_ID_HEADER, job.toString());
            m.getMessageProperties().setHeader(Topology.FILE_ID_HEADER, file.toString());
            return m;
        });
    }

    /** The file's row once it is DONE or FAILED: status, storage, records, table_name, attempts, error. */
    Map<String, Object> awaitEnded(UUID file, Duration atMost) {
        await().atMost(atMost)
                .until(() -> sql.sql("select status from files where id = ?")
                        .param(file)
                        .query(String.class)
                        .single()
                        .matches("DONE|FAILED"));
        return sql.sql("select status, storage, records, table_name, attempts, error from files where id = ?")
                .param(file)
                .query()
                .singleRow();
    }
}
