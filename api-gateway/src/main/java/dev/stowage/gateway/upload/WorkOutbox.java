// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import dev.stowage.model.FileMessage;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends work messages for files already committed, and marks their jobs published once the broker confirmed them
 * all ({@code jobs.published_at}, null until then). A job it could not publish stays unmarked and {@link
 * OutboxReconciler} sends its queued files later; a file published twice is harmless because workers skip files
 * that ended or are being stored.
 *
 * <p>An upload hands its messages over ({@link #publishSoon}) and answers as soon as its files are committed: the
 * broker's confirms and marking the files published are not on the request's path. A hand-over that is lost (the gateway stops, the queue of hand-overs is full) only delays the
 * files until the reconciler's next pass.
 */
@Component
public class WorkOutbox {

    private static final String MARK_PUBLISHED =
            "update jobs set published_at = now() where id = any(?) and published_at is null";

    private static final Logger log = LoggerFactory.getLogger(WorkOutbox.class);

    private final FilePublisher publisher;
    private final JdbcClient sql;
    private final ThreadPoolExecutor handOvers = new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000),
            (task, executor) -> log.warn("Publishing is behind; files of an upload are left to the outbox reconciler"));

    WorkOutbox(FilePublisher publisher, JdbcClient sql) {
        this.publisher = publisher;
        this.sql = sql;
    }

    /** Publishes in the background; the reconciler publishes whatever this does not. */
    public void publishSoon(List<FileMessage> messages) {
        handOvers.execute(() -> {
            try {
                publish(messages);
            } catch (RuntimeException e) {
                log.warn(
                        "Publishing {} files failed, left to the outbox reconciler: {}", messages.size(), e.toString());
            }
        });
    }

    @PreDestroy
    void stop() throws InterruptedException {
        handOvers.shutdown();
        handOvers.awaitTermination(10, TimeUnit.SECONDS);
    }

    /**
     * Publishes the messages and, once the broker confirmed every one, marks their jobs published: the messages
     * must be all the queued files of those jobs.
     *
     * @return whether the broker confirmed every message
     */
    public boolean publish(List<FileMessage> messages) {
        if (messages.isEmpty() || !publisher.publish(messages)) {
            return false;
        }
        markPublished(messages.stream().map(FileMessage::jobId).distinct().toArray(UUID[]::new));
        return true;
    }

    void markPublished(UUID[] jobs) {
        sql.sql(MARK_PUBLISHED).param(jobs).update();
    }

    /** Publishes messages of files whose jobs are published already (a re-drive): nothing to mark. */
    public boolean republish(List<FileMessage> messages) {
        return !messages.isEmpty() && publisher.publish(messages);
    }
}
