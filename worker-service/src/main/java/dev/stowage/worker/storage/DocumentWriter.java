package dev.stowage.worker.storage;

import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.SqlNames;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
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
        this.copy = "copy %s (\"_file_id\", \"_row\", tenant, dataset, doc) from stdin"
                .formatted(Identifiers.qualified(schema, SqlNames.DOCUMENTS_TABLE));
    }

    /** Runs inside the caller's transaction. */
    public Stored write(Target target, Analysis analysis, FileContent content, boolean jsonLines) {
        long rows = Copy.in(jdbc, copy, content.size(), out -> {
            long[] row = {0};
            try (InputStream json = content.open()) {
                if (analysis.perRecord()) {
                    JsonRecords.read(json, jsonLines, record -> writeRow(out, target, row[0]++, record));
                } else {
                    writeRow(out, target, row[0]++, JsonRecords.readWhole(json));
                }
            }
            return row[0];
        });
        return new Stored(Storage.JSONB, schema + "." + SqlNames.DOCUMENTS_TABLE, rows, java.util.List.of());
    }

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
