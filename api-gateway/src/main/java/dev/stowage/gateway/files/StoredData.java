// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.files;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.model.DatasetTables;
import dev.stowage.model.FileReport;
import dev.stowage.model.FileStatus;
import dev.stowage.model.JsonPaths;
import dev.stowage.model.Shape;
import dev.stowage.model.SqlNames;
import dev.stowage.model.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rebuilds a file's JSON from what was stored: typed columns put back at their key paths (absent keys left out,
 * nulls kept), merged with the row's {@code _extra}; or the JSONB documents as stored. Streams rows, so a large
 * file is never held whole. The result equals the original JSON value, key order aside and numbers equal in value.
 */
@Component
class StoredData {

    private static final String FILE = "select f.status, f.storage, f.table_name, f.report::text as report"
            + " from files f join jobs j on j.id = f.job_id where f.id = :id and j.tenant = :tenant";
    /** A file's rows in their order, in a dataset table or the documents table. */
    private static final String OF_FILE = " where %s = ? order by %s"
            .formatted(SqlNames.quote(DatasetTables.FILE_ID), SqlNames.quote(DatasetTables.ROW));

    private static final int FETCH_SIZE = 1000;

    /** Reads numbers as BigDecimal so that no digit is lost on the way out. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final JdbcClient sql;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    StoredData(JdbcClient sql, JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.sql = sql;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** How to write one file's data: its media type and the writer. */
    record Data(boolean jsonLines, Writer writer) {}

    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    Data find(String tenant, UUID fileId) {
        Map<String, Object> file =
                sql.sql(FILE).param("id", fileId).param("tenant", tenant).query().listOfRows().stream()
                        .findFirst()
                        .orElseThrow(() -> ApiProblem.notFound("file", fileId));
        FileStatus status = FileStatus.valueOf((String) file.get("status"));
        if (status != FileStatus.DONE) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "not-stored",
                    "File " + fileId + " is " + status + ": its data can be read once it is DONE.");
        }
        FileReport report = JSON.readValue((String) file.get("report"), FileReport.class);
        boolean jsonLines = report.shape() == Shape.JSON_LINES;
        String table = (String) file.get("table_name");
        Writer rows = Storage.valueOf((String) file.get("storage")) == Storage.SQL
                ? out -> writeRows(out, fileId, table, report.columns(), jsonLines)
                : out -> writeDocuments(out, fileId, table, jsonLines, report.perRecord());
        return new Data(jsonLines, rows);
    }

    private void writeDocuments(OutputStream out, UUID fileId, String table, boolean jsonLines, boolean perRecord) {
        String query = "select " + SqlNames.quote(DatasetTables.DOC) + "::text from " + qualified(table) + OF_FILE;
        Records records = new Records(out, jsonLines, perRecord);
        stream(query, fileId, rs -> records.next(rs.getString(1)));
        records.end();
    }

    private void writeRows(
            OutputStream out, UUID fileId, String table, List<FileReport.StoredColumn> columns, boolean jsonLines) {
        List<String> names = columns.stream().map(FileReport.StoredColumn::name).toList();
        List<List<String>> paths =
                columns.stream().map(FileReport.StoredColumn::path).toList();
        StringBuilder query = new StringBuilder("select ")
                .append(SqlNames.quote(DatasetTables.EXTRA))
                .append("::text, ")
                .append(SqlNames.quote(DatasetTables.ABSENT));
        names.forEach(name -> query.append(", ").append(SqlNames.quote(name)));
        query.append(" from ").append(qualified(table)).append(OF_FILE);
        Records records = new Records(out, jsonLines, true);
        stream(query.toString(), fileId, rs -> {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            Set<String> absent = absent(rs.getArray(2));
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 0; i < names.size(); i++) {
                if (!absent.contains(names.get(i))) {
                    JsonPaths.putAt(record, paths.get(i), value(rs, i + 3, meta.getColumnTypeName(i + 3)));
                }
            }
            String extra = rs.getString(1);
            if (extra != null) {
                merge(record, JSON.readTree(extra));
            }
            records.next(record.toString());
        });
        records.end();
    }

    private void stream(String query, UUID fileId, RowHandler handler) {
        transaction.executeWithoutResult(status -> jdbc.query(
                connection -> {
                    var statement = connection.prepareStatement(query);
                    statement.setFetchSize(FETCH_SIZE);
                    statement.setObject(1, fileId);
                    return statement;
                },
                rs -> {
                    try {
                        handler.row(rs);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException, IOException;
    }

    /** Writes records as a JSON array, as JSON Lines, or as the one document. */
    private static final class Records {
        private final OutputStream out;
        private final boolean jsonLines;
        private final boolean array;
        private boolean first = true;

        Records(OutputStream out, boolean jsonLines, boolean perRecord) {
            this.out = out;
            this.jsonLines = jsonLines;
            this.array = perRecord && !jsonLines;
        }

        void next(String json) throws IOException {
            if (array) {
                out.write((first ? "[" : ",").getBytes(StandardCharsets.UTF_8));
            }
            first = false;
            out.write(json.getBytes(StandardCharsets.UTF_8));
            if (jsonLines) {
                out.write('\n');
            }
        }

        void end() {
            try {
                if (array) {
                    out.write((first ? "[]" : "]").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static JsonNode value(ResultSet rs, int index, String type) throws SQLException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Object value = switch (type) {
            case "date" -> rs.getObject(index, LocalDate.class);
            case "timestamptz" -> rs.getObject(index, OffsetDateTime.class);
            default -> rs.getObject(index);
        };
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof Long l) {
            return nodes.numberNode(l);
        }
        if (value instanceof java.math.BigDecimal d) {
            return nodes.numberNode(d);
        }
        if (value instanceof OffsetDateTime t) {
            return nodes.stringNode(t.toInstant().toString()); // the form the analyzer checked values against
        }
        return nodes.stringNode(value.toString()); // text, uuid, and dates in ISO form
    }

    private static Set<String> absent(Array array) throws SQLException {
        return array == null ? Set.of() : new HashSet<>(List.of((String[]) array.getArray()));
    }

    /** Puts {@code extra}'s members into {@code target}, descending into objects both have. */
    private static void merge(ObjectNode target, JsonNode extra) {
        for (Map.Entry<String, JsonNode> member : extra.properties()) {
            JsonNode existing = target.get(member.getKey());
            if (existing instanceof ObjectNode object && member.getValue().isObject()) {
                merge(object, member.getValue());
            } else {
                target.set(member.getKey(), member.getValue());
            }
        }
    }

    /** {@code schema.table} as stored on the file, quoted part by part. */
    private static String qualified(String table) {
        int dot = table.indexOf('.');
        return SqlNames.qualified(table.substring(0, dot), table.substring(dot + 1));
    }
}
