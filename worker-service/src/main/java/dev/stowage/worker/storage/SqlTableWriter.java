package dev.stowage.worker.storage;

import static dev.stowage.worker.analysis.Identifiers.quote;

import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.SqlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Stores a record collection as rows of a typed table in the datasets schema, loaded with COPY. A later file into
 * the same table adds the columns it lacks and widens types that no longer fit; such DDL is serialized per table
 * across all workers by an advisory lock, and only taken when needed.
 */
@Component
public class SqlTableWriter {

    private static final String COLUMNS_OF_TABLE = "select column_name, data_type from information_schema.columns"
            + " where table_schema = ? and table_name = ?";
    private static final String LOCK_TABLE_DDL = "select pg_advisory_xact_lock(hashtextextended(?, 0))";

    private final JdbcTemplate jdbc;
    private final String schema;

    SqlTableWriter(JdbcTemplate jdbc, DatasetsProperties datasets) {
        this.jdbc = jdbc;
        this.schema = datasets.schema();
    }

    /** Runs inside the caller's transaction. */
    public Stored write(Target target, Analysis analysis, byte[] json, boolean jsonLines) {
        Map<String, SqlType> table = prepareTable(target.dataset(), analysis.columns());
        List<Column> columns = analysis.columns();
        String copy = "copy %s (\"_file_id\", \"_row\", %s) from stdin"
                .formatted(
                        Identifiers.qualified(schema, target.dataset()),
                        columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")));
        String fileId = target.fileId().toString();
        long rows = Copy.in(jdbc, copy, out -> {
            long[] row = {0};
            JsonRecords.read(json, jsonLines, record -> {
                try {
                    out.write(fileId);
                    out.write('\t');
                    out.write(Long.toString(row[0]++));
                    for (Column column : columns) {
                        out.write('\t');
                        writeValue(out, record.get(column.key()), table.get(column.name()));
                    }
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return row[0];
        });
        return new Stored(Storage.SQL, schema + "." + target.dataset(), rows);
    }

    private static void writeValue(Writer out, JsonNode value, SqlType type) throws IOException {
        if (value == null || value.isNull()) {
            out.write(CopyText.NULL);
            return;
        }
        switch (type) {
            case BOOLEAN -> out.write(value.booleanValue() ? "t" : "f");
            case BIGINT, NUMERIC -> out.write(value.numberValue().toString());
            case TEXT -> CopyText.field(out, value.stringValue());
            case JSONB -> CopyText.field(out, value.toString());
        }
    }

    /** Makes the table hold {@code columns} and returns every column's type as it now is. */
    private Map<String, SqlType> prepareTable(String dataset, List<Column> columns) {
        Map<String, SqlType> existing = columnsOf(dataset);
        if (!ddlFor(dataset, existing, columns).isEmpty()) {
            jdbc.queryForList(LOCK_TABLE_DDL, "stowage.ddl:" + schema + "." + dataset);
            existing = columnsOf(dataset); // another worker may have changed it while we waited
            ddlFor(dataset, existing, columns).forEach(jdbc::execute);
            existing = columnsOf(dataset);
        }
        return existing;
    }

    private List<String> ddlFor(String dataset, Map<String, SqlType> existing, List<Column> columns) {
        String table = Identifiers.qualified(schema, dataset);
        List<String> ddl = new ArrayList<>();
        if (existing.isEmpty()) {
            String definitions = columns.stream()
                    .map(c -> quote(c.name()) + " " + c.type().sql())
                    .collect(Collectors.joining(", "));
            ddl.add("create table if not exists %s (\"_file_id\" uuid not null, \"_row\" bigint not null, %s,"
                            .formatted(table, definitions)
                    + " primary key (\"_file_id\", \"_row\"))");
            return ddl;
        }
        for (Column column : columns) {
            SqlType current = existing.get(column.name());
            if (current == null) {
                ddl.add("alter table %s add column if not exists %s %s"
                        .formatted(table, quote(column.name()), column.type().sql()));
            } else if (current.widen(column.type()) != current) {
                SqlType wider = current.widen(column.type());
                String using = wider == SqlType.JSONB ? " using to_jsonb(" + quote(column.name()) + ")" : "";
                ddl.add("alter table %s alter column %s type %s%s"
                        .formatted(table, quote(column.name()), wider.sql(), using));
            }
        }
        return ddl;
    }

    private Map<String, SqlType> columnsOf(String dataset) {
        Map<String, SqlType> columns = new LinkedHashMap<>();
        jdbc.query(
                COLUMNS_OF_TABLE,
                rs -> {
                    String name = rs.getString("column_name");
                    SqlType.ofCatalog(rs.getString("data_type")).ifPresent(type -> columns.put(name, type));
                },
                schema,
                dataset);
        return columns;
    }
}
