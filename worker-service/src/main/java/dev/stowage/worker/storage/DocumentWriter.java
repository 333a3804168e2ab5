// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Stores a file as JSONB documents in the datasets schema's shared documents table (GIN-indexed): one document per
 * record for record collections, one for the whole file otherwise.
 */
@Component
public class DocumentWriter {

    private final JdbcTemplate jdbc;
    private final String schema;
    private final String copy;

    DocumentWriter(JdbcTemplate jdbc, DatasetsProperties datasets) {
        this.jdbc = jdbc;
        this.schema = datasets.schema();
        this.copy = "copy %s (%s) from stdin"
                .formatted(
                        Identifiers.qualified(schema, DatasetTables.DOCUMENTS),
                        DatasetTables.DOCUMENT_COLUMNS.stream()
                                .map(Identifiers::quote)
                                .collect(Collectors.joining(", ")));
    }

    /** A file's documents on their way into the documents table. */
    public record Load(Target target, Analysis analysis, FileContent content, boolean jsonLines) {}

    /**
     * Stores the files' documents in one COPY, inside the caller's transaction.
     *
     * @return what each file stored, in the order of {@code loads}
     */
    public List<Stored> write(List<Load> loads) {
        long[] rows = new long[loads.size()];
        long size = loads.stream().mapToLong(load -> load.content().size()).sum();
        Copy.in(jdbc, copy, size, out -> {
            long total = 0;
            for (int f = 0; f < loads.size(); f++) {
                Load load = loads.get(f);
                long[] row = {0};
                try (InputStream json = load.content().open()) {
                    if (load.analysis().perRecord()) {
                        JsonRecords.read(
                                json, load.jsonLines(), record -> writeRow(out, load.target(), row[0]++, record));
                    } else {
                        writeRow(out, load.target(), row[0]++, JsonRecords.readWhole(json));
                    }
                }
                rows[f] = row[0];
                total += row[0];
            }
            return total;
        });
        return Arrays.stream(rows)
                .mapToObj(count -> new Stored(Storage.JSONB, schema + "." + DatasetTables.DOCUMENTS, count, List.of()))
                .toList();
    }

    /** One row of the {@link DatasetTables#DOCUMENT_COLUMNS}, in their order. */
    private static void writeRow(Writer out, Target target, long row, JsonNode doc) {
        try {
            out.write(target.fileId().toString());
            out.write('\t');
            out.write(Long.toString(row));
            out.write('\t');
            CopyText.field(out, target.tenant());
            out.write('\t');
            CopyText.field(out, target.dataset());
            out.write('\t');
            CopyText.field(out, doc.toString());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
