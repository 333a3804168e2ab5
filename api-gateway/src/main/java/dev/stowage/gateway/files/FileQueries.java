// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.files;

import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileStatus;
import java.io.IOException;
import java.io.OutputStream;
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
    /** @param size bytes in all, in {@link ContentChunks#count} chunks */
    record Content(UUID fileId, String contentType, long size) {}

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
        return sql.sql(FILE)
                .param("id", fileId)
                .param("tenant", tenant)
                .query((rs, n) -> new Content(fileId, rs.getString("content_type"), rs.getLong("size_bytes")))
                .optional();
    }

    /** Writes the original bytes chunk by chunk: one chunk in memory at a time, whatever the file's size. */
    void writeContent(Content content, OutputStream out) throws IOException {
        for (int chunk = 0; chunk < ContentChunks.count(content.size()); chunk++) {
            out.write(sql.sql(ContentChunks.SELECT)
                    .params(content.fileId(), chunk)
                    .query(byte[].class)
                    .single());
        }
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
