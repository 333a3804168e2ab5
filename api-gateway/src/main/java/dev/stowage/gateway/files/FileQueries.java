package dev.stowage.gateway.files;

import dev.stowage.model.FileStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Reads one file's row, its attempts and its original bytes. */
@Repository
class FileQueries {

    private static final String FILE =
            "select f.* from files f join jobs j on j.id = f.job_id" + " where f.id = :id and j.tenant = :tenant";
    private static final String ATTEMPTS = "select attempt, worker, started_at, ended_at, outcome, error"
            + " from attempts where file_id = :id order by attempt";
    private static final String CONTENT = "select f.content_type, c.bytes from file_contents c"
            + " join files f on f.id = c.file_id join jobs j on j.id = f.job_id where c.file_id = :id and j.tenant = :tenant";

    record Content(String contentType, byte[] bytes) {}

    private final JdbcClient sql;
    private final JsonMapper json;

    FileQueries(JdbcClient sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    Optional<FileView> find(String tenant, UUID fileId) {
        return sql.sql(FILE)
                .param("id", fileId)
                .param("tenant", tenant)
                .query((rs, n) -> {
                    String report = rs.getString("report");
                    return new FileView(
                            fileId,
                            rs.getObject("job_id", UUID.class),
                            rs.getString("name"),
                            rs.getString("content_type"),
                            rs.getLong("size_bytes"),
                            FileStatus.valueOf(rs.getString("status")),
                            rs.getString("storage"),
                            rs.getString("table_name"),
                            rs.getObject("records", Long.class),
                            rs.getString("error"),
                            rs.getString("error_class"),
                            rs.getObject("created_at", OffsetDateTime.class),
                            rs.getObject("updated_at", OffsetDateTime.class),
                            rs.getObject("next_attempt_at", OffsetDateTime.class),
                            rs.getObject("finished_at", OffsetDateTime.class),
                            attempts(fileId),
                            report == null ? null : json.readTree(report));
                })
                .optional();
    }

    Optional<Content> content(String tenant, UUID fileId) {
        return sql.sql(CONTENT)
                .param("id", fileId)
                .param("tenant", tenant)
                .query((rs, n) -> new Content(rs.getString("content_type"), rs.getBytes("bytes")))
                .optional();
    }

    private List<FileView.Attempt> attempts(UUID fileId) {
        return sql.sql(ATTEMPTS)
                .param("id", fileId)
                .query((rs, n) -> new FileView.Attempt(
                        rs.getInt("attempt"),
                        rs.getString("worker"),
                        rs.getObject("started_at", OffsetDateTime.class),
                        rs.getObject("ended_at", OffsetDateTime.class),
                        rs.getString("outcome"),
                        rs.getString("error")))
                .list();
    }
}
