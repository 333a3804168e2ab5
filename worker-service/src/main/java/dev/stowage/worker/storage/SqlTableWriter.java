// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import static dev.stowage.worker.analysis.Identifiers.quote;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stores record collections as rows of typed tables in the datasets schema, loaded with binary COPY (each row
 * encoded by a {@link RowWriter}), into tables that {@link TableChanges} made ready for them. Each row has
 * {@code _file_id}, {@code _row}, the typed columns, {@code _extra} (every value no column holds exactly, nested as
 * in the record) and {@code _absent} (the file's columns whose key the record lacks, so that absent and null stay
 * apart). A value of a type its column does not hold goes to {@code _extra}, so a type conflict never fails a file
 * and never changes stored values.
 */
@Component
public class SqlTableWriter {

    private final JdbcTemplate jdbc;
    private final TableChanges changes;

    SqlTableWriter(JdbcTemplate jdbc, TableChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /** A file's rows on their way into the table {@link TableChanges#prepare} made ready for them. */
    public record Load(PreparedTable table, FileContent content, boolean jsonLines) {}

    /**
     * Stores the files' rows in their tables, in the caller's transaction: one COPY for all the files that go to the
     * same table with the same columns (the usual case for a batch of small files into one dataset), a COPY being
     * a statement PostgreSQL sets up anew each time. The tables' columns stay right however long ago they were
     * prepared: other workers only ever add columns and widen {@code bigint} to {@code numeric}, which holds every
     * value a {@code bigint} column would.
     *
     * @return what each file stored, in the order of {@code loads}
     */
    public List<Stored> write(List<Load> loads, int maxDepth) {
        // Files share a COPY when they agree on the table, its columns and their types (the values' encoding).
        Map<List<Object>, List<Integer>> byCopy = new LinkedHashMap<>();
        for (int i = 0; i < loads.size(); i++) {
            PreparedTable table = loads.get(i).table();
            List<Object> key = new ArrayList<>(List.of(table.key()));
            table.columns().forEach(column -> key.addAll(List.of(column.name(), column.type())));
            byCopy.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Stored[] stored = new Stored[loads.size()];
        byCopy.forEach((key, files) -> {
            PreparedTable table = loads.get(files.get(0)).table();
            String copy = copySql(table);
            try {
                List<RowWriter> rows = files.stream()
                        .map(i -> loads.get(i).table())
                        .map(own -> new RowWriter(own.target().fileId(), own.columns(), maxDepth))
                        .toList();
                long size = files.stream()
                        .mapToLong(i -> loads.get(i).content().size())
                        .sum();
                Copy.binary(jdbc, copy, size, out -> {
                    long count = 0;
                    for (int f = 0; f < files.size(); f++) {
                        Load load = loads.get(files.get(f));
                        RowWriter writer = rows.get(f);
                        try (InputStream json = load.content().open()) {
                            JsonRecords.readTokens(json, load.jsonLines(), record -> writer.write(out, record));
                        }
                        count += writer.count();
                    }
                    return count;
                });
                for (int f = 0; f < files.size(); f++) {
                    Load load = loads.get(files.get(f));
                    stored[files.get(f)] = new Stored(
                            Storage.SQL,
                            table.key(),
                            rows.get(f).count(),
                            load.table().columns());
                }
            } catch (RuntimeException e) {
                changes.forget(table.key()); // the table may have changed: the next file reads it afresh
                throw e;
            }
        });
        return List.of(stored);
    }

    private static String copySql(PreparedTable table) {
        return "copy %s (%s, %s, %s, %s, %s) from stdin with (format binary)"
                .formatted(
                        Identifiers.qualified(table.schema(), table.dataset()),
                        quote(DatasetTables.FILE_ID),
                        quote(DatasetTables.ROW),
                        table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")),
                        quote(DatasetTables.EXTRA),
                        quote(DatasetTables.ABSENT));
    }
}
