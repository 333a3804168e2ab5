package dev.stowage.gateway.upload;

import dev.stowage.model.FileMessage;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends work messages for files already committed with {@code published_at} null, and marks them published once
 * the broker confirmed them. Files it could not publish stay unmarked and {@link OutboxReconciler} sends them
 * later; a file published twice is harmless because workers skip files that ended or are being stored.
 */
@Component
public class WorkOutbox {

    private static final String MARK_PUBLISHED = "update files set published_at = now() where id = any(?)";

    private final FilePublisher publisher;
    private final JdbcClient sql;

    WorkOutbox(FilePublisher publisher, JdbcClient sql) {
        this.publisher = publisher;
        this.sql = sql;
    }

    /** @return whether the broker confirmed every message */
    public boolean publish(List<FileMessage> messages) {
        if (messages.isEmpty() || !publisher.publish(messages)) {
            return false;
        }
        UUID[] ids = messages.stream().map(FileMessage::fileId).toArray(UUID[]::new);
        sql.sql(MARK_PUBLISHED).param(ids).update();
        return true;
    }
}
