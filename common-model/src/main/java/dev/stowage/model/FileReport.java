// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the analysis found in a file and how it was stored: the worker writes it as JSON with the file's DONE (the
 * {@code report} column), the gateway shows it as {@code GET /api/v1/files/{id}}'s {@code report} and reads it back
 * to rebuild the file's data. A property that does not apply ({@link #paths} of a document, {@link #mapLike} of
 * anything but a map-like document, a path's {@link PathProfile#averageArrayLength} without arrays) is left out.
 *
 * @param shape how the file's top level is laid out
 * @param records how many records (or 1 for a document)
 * @param perRecord whether each record is stored as its own row or document, or the whole file as one document
 * @param depth the deepest nesting of objects and arrays
 * @param decision how the file was stored
 * @param coverage the share of leaf values the typed columns hold (0 for documents)
 * @param reasons the decision in words a user understands
 * @param columns the typed columns as they are in the table (empty for documents)
 * @param paths what each key path of a record collection held
 * @param mapLike the object of a document that is used as a map, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "shape",
    "records",
    "perRecord",
    "depth",
    "decision",
    "coverage",
    "reasons",
    "columns",
    "paths",
    "mapLike"
})
public record FileReport(
        Shape shape,
        long records,
        boolean perRecord,
        int depth,
        Storage decision,
        double coverage,
        List<String> reasons,
        List<StoredColumn> columns,
        @Nullable List<PathProfile> paths,
        @Nullable MapObject mapLike) {

    public FileReport {
        reasons = List.copyOf(reasons);
        columns = List.copyOf(columns);
        paths = paths == null ? null : List.copyOf(paths);
    }

    /**
     * A typed column of the file's table.
     *
     * @param name its SQL name, unquoted
     * @param path the JSON keys from the record's root to the value
     * @param type its SQL type as in DDL, e.g. {@code bigint}, {@code timestamptz}
     * @param values how many of the file's values (nulls included) it holds
     */
    @JsonPropertyOrder({"name", "path", "type", "values"})
    public record StoredColumn(String name, List<String> path, String type, long values) {

        public StoredColumn {
            path = List.copyOf(path);
        }
    }

    /**
     * What one key path held across the records.
     *
     * @param path the keys joined by dots
     * @param presence values per record, rounded to three decimals
     * @param types how many values of each kind ({@code null}, {@code boolean}, {@code integer}, {@code decimal},
     *     {@code string}, {@code date}, {@code timestamp}, {@code uuid}, {@code array}, {@code object}), kinds
     *     not seen left out, in that order
     * @param averageArrayLength elements per array, rounded to one decimal; only when the path held arrays
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "presence", "types", "averageArrayLength"})
    public record PathProfile(
            String path,
            double presence,
            Map<String, Long> types,
            @Nullable Double averageArrayLength) {}

    /**
     * An object used as a map (keys that are data, or values of one shape): its keys would make poor columns.
     *
     * @param path {@code $} for the document itself, {@code $.key} for one of its members
     * @param keys how many keys it has
     */
    @JsonPropertyOrder({"path", "keys"})
    public record MapObject(String path, int keys) {}
}
