package dev.stowage.worker.analysis;

import dev.stowage.model.Storage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer found in a file and what it decided.
 *
 * @param perRecord whether each record is stored as its own row (SQL row or JSONB document), or the whole file as
 *     one document
 * @param reasons the decision in words a user understands
 */
public record Analysis(
        Shape shape, long records, Storage storage, boolean perRecord, List<Column> columns, List<String> reasons) {

    public Analysis {
        columns = List.copyOf(columns);
        reasons = List.copyOf(reasons);
    }

    /** The report stored with the file and shown by {@code GET /api/v1/files/{id}}. */
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("shape", shape);
        report.put("records", records);
        report.put("decision", storage);
        report.put("reasons", reasons);
        report.put(
                "columns",
                columns.stream()
                        .map(c -> Map.of(
                                "name",
                                c.name(),
                                "path",
                                c.key(),
                                "type",
                                c.type().sql(),
                                "present",
                                c.present()))
                        .toList());
        return report;
    }
}
