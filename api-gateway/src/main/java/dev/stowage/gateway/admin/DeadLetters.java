// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.admin;

import com.rabbitmq.client.GetResponse;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import dev.stowage.gateway.upload.WorkOutbox;
import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Files that ended FAILED (PostgreSQL holds why, the DLQ holds their messages) and their replay: the file gets a
 * fresh retry budget, a fresh work message, and its copy leaves the DLQ.
 */
@Service
class DeadLetters {

    private static final String FAILED_FILES = """
            select f.id, f.job_id, f.name, f.attempts, f.error_class, f.error, f.finished_at
              from files f join jobs j on j.id = f.job_id
             where f.status = 'FAILED' and j.tenant = :tenant
               and (cast(:job as uuid) is null or f.job_id = :job)
               and (cast(:errorClass as text) is null or f.error_class = :errorClass)
             order by f.finished_at desc, f.id
             limit :limit offset :offset
            """;
    private static final String RESET_FOR_REPLAY = """
            update files f
               set status = 'QUEUED', budget_start = f.attempts, error = null, error_class = null, finished_at = null,
                   next_attempt_at = null, updated_at = now()
              from jobs j
             where j.id = f.job_id and j.tenant = :tenant and f.status = 'FAILED' and j.cancelled_at is null
               and (cast(:file as uuid) is null or f.id = :file)
               and (cast(:job as uuid) is null or f.job_id = :job)
               and (cast(:errorClass as text) is null or f.error_class = :errorClass)
            returning f.id, f.job_id
            """;
    /** The replayed files need messages again: until the broker confirms them, their jobs are the outbox's. */
    private static final String UNPUBLISH = "update jobs set published_at = null where id = any(?)";

    private static final String STATUS = "select f.status, f.job_id, j.cancelled_at is not null as cancelled"
            + " from files f join jobs j on j.id = f.job_id where f.id = :file and j.tenant = :tenant";

    private final JdbcClient sql;
    private final TransactionTemplate transaction;
    private final WorkOutbox outbox;
    private final RabbitTemplate rabbit;
    private final Topology topology;

    DeadLetters(
            JdbcClient sql,
            TransactionTemplate transaction,
            WorkOutbox outbox,
            RabbitTemplate rabbit,
            Topology topology) {
        this.sql = sql;
        this.transaction = transaction;
        this.outbox = outbox;
        this.rabbit = rabbit;
        this.topology = topology;
    }

    record DeadLetter(
            UUID fileId,
            UUID jobId,
            String name,
            int attempts,
            @Nullable String errorClass,
            @Nullable String error,
            @Nullable OffsetDateTime failedAt) {}

    record DeadLetterPage(String queue, long messagesInQueue, int page, int size, List<DeadLetter> deadLetters) {}

    /** @param replayed files sent back to work; {@code removedFromQueue} their copies taken out of the DLQ */
    record Replay(int replayed, int removedFromQueue) {}

    DeadLetterPage list(String tenant, @Nullable UUID job, @Nullable String errorClass, int page, int size) {
        List<DeadLetter> failed = sql.sql(FAILED_FILES)
                .param("tenant", tenant)
                .param("job", job)
                .param("errorClass", errorClass)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query((rs, n) -> new DeadLetter(
                        rs.getObject("id", UUID.class),
                        rs.getObject("job_id", UUID.class),
                        rs.getString("name"),
                        rs.getInt("attempts"),
                        rs.getString("error_class"),
                        rs.getString("error"),
                        rs.getObject("finished_at", OffsetDateTime.class)))
                .list();
        return new DeadLetterPage(topology.deadLetterQueue(), queueDepth(), page, size, failed);
    }

    Replay replayOne(String tenant, UUID fileId) {
        Replay replay = replay(tenant, fileId, null, null);
        if (replay.replayed() == 0) {
            FileOfJob file = sql.sql(STATUS)
                    .param("file", fileId)
                    .param("tenant", tenant)
                    .query((rs, n) -> new FileOfJob(
                            rs.getString("status"), rs.getObject("job_id", UUID.class), rs.getBoolean("cancelled")))
                    .optional()
                    .orElseThrow(() -> ApiProblem.notFound("file", fileId));
            if (file.jobCancelled()) {
                throw new ApiProblem(
                        ProblemType.JOB_CANCELLED,
                        "File " + fileId + " belongs to job " + file.jobId() + ", which was cancelled: its files"
                                + " are not replayed. Upload the file again as a new job.");
            }
            throw new ApiProblem(
                    ProblemType.NOT_DEAD_LETTERED,
                    "File " + fileId + " is " + file.status() + ", not FAILED: only failed files can be replayed.");
        }
        return replay;
    }

    private record FileOfJob(String status, UUID jobId, boolean jobCancelled) {}

    Replay replay(String tenant, @Nullable UUID file, @Nullable UUID job, @Nullable String errorClass) {
        List<FileMessage> reset = transaction.execute(status -> {
            List<FileMessage> files = sql.sql(RESET_FOR_REPLAY)
                    .param("tenant", tenant)
                    .param("file", file)
                    .param("job", job)
                    .param("errorClass", errorClass)
                    .query((rs, n) ->
                            new FileMessage(rs.getObject("job_id", UUID.class), rs.getObject("id", UUID.class)))
                    .list();
            sql.sql(UNPUBLISH)
                    .param(files.stream().map(FileMessage::jobId).distinct().toArray(UUID[]::new))
                    .update();
            return files;
        });
        if (reset == null || reset.isEmpty()) {
            return new Replay(0, 0);
        }
        outbox.publish(reset); // unconfirmed ones are published by the outbox reconciler
        Set<String> replayed = new HashSet<>();
        reset.forEach(message -> replayed.add(message.fileId().toString()));
        return new Replay(reset.size(), removeFromQueue(replayed));
    }

    /**
     * Takes the replayed files' messages out of the DLQ: every message is fetched once; those of replayed files are
     * acknowledged (gone), the others are given back.
     */
    private int removeFromQueue(Set<String> fileIds) {
        Integer removed = rabbit.execute(channel -> {
            long depth = channel.queueDeclarePassive(topology.deadLetterQueue()).getMessageCount();
            List<Long> keep = new ArrayList<>();
            int acked = 0;
            for (long i = 0; i < depth; i++) {
                GetResponse response = channel.basicGet(topology.deadLetterQueue(), false);
                if (response == null) {
                    break;
                }
                long tag = response.getEnvelope().getDeliveryTag();
                Object fileId = response.getProps().getHeaders() == null
                        ? null
                        : response.getProps().getHeaders().get(Topology.FILE_ID_HEADER);
                if (fileId != null && fileIds.contains(fileId.toString())) {
                    channel.basicAck(tag, false);
                    acked++;
                } else {
                    keep.add(tag);
                }
            }
            for (long tag : keep) {
                channel.basicNack(tag, false, true);
            }
            return acked;
        });
        return removed == null ? 0 : removed;
    }

    private long queueDepth() {
        Long depth = rabbit.execute(channel ->
                (long) channel.queueDeclarePassive(topology.deadLetterQueue()).getMessageCount());
        return depth == null ? 0 : depth;
    }
}
