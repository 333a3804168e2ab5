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
 * @param columns the typed columns proposed (SQL only); the writer may rename them to fit the dataset's table
 * @param coverage the share of leaf values the columns hold (0 for documents)
 * @param reasons the decision in words a user understands
 * @param details paths, map-likeness and other findings for the report
 */
public record Analysis(
        Shape shape,
        long records,
        Storage storage,
        boolean perRecord,
        int depth,
        List<Column> columns,
        double coverage,
        List<String> reasons,
        Map<String, Object> details) {

    public Analysis {
        columns = List.copyOf(columns);
        reasons = List.copyOf(reasons);
        details = Map.copyOf(details);
    }

    /** The report stored with the file and shown by {@code GET /api/v1/files/{id}}, with the columns as stored. */
    public Map<String, Object> report(List<Column> stored) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("shape", shape);
        report.put("records", records);
        report.put("perRecord", perRecord);
        report.put("depth", depth);
        report.put("decision", storage);
        report.put("coverage", coverage);
        report.put("reasons", reasons);
        report.put(
                "columns",
                stored.stream()
                        .map(c -> {
                            Map<String, Object> column = new LinkedHashMap<>();
                            column.put("name", c.name());
                            column.put("path", c.path());
                            column.put("type", c.type().sql());
                            column.put("values", c.values());
                            return column;
                        })
                        .toList());
        report.putAll(details);
        return report;
    }
}
