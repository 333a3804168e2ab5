// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.FileReport;
import dev.stowage.model.Shape;
import dev.stowage.model.Storage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the analyzer found in a file and what it decided.
 *
 * @param perRecord whether each record is stored as its own row (SQL row or JSONB document), or the whole file as
 *     one document
 * @param columns the typed columns proposed (SQL only); the writer may rename them to fit the dataset's table
 * @param coverage the share of leaf values the columns hold (0 for documents)
 * @param reasons the decision in words a user understands
 * @param paths what each key path held, for a record collection; null for a document
 * @param mapLike the object of a document that is used as a map, if any
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
        @Nullable List<FileReport.PathProfile> paths,
        FileReport.@Nullable MapObject mapLike) {

    public Analysis {
        columns = List.copyOf(columns);
        reasons = List.copyOf(reasons);
        paths = paths == null ? null : List.copyOf(paths);
    }

    /** The report stored with the file and shown by {@code GET /api/v1/files/{id}}, with the columns as stored. */
    public FileReport report(List<Column> stored) {
        return new FileReport(
                shape,
                records,
                perRecord,
                depth,
                storage,
                coverage,
                reasons,
                stored.stream()
                        .map(c -> new FileReport.StoredColumn(
                                c.name(), c.path(), c.type().sql(), c.values()))
                        .toList(),
                paths,
                mapLike);
    }
}
