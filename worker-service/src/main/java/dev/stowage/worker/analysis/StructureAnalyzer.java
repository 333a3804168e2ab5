package dev.stowage.worker.analysis;

import dev.stowage.model.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Decides how a file is stored, after reading every record (no sampling: a type that appears late still counts).
 *
 * <p>First cut: a record collection (array or JSON Lines of objects) whose values are all scalars becomes a typed
 * SQL table, one column per key; anything else becomes JSONB documents, one per record for record collections and
 * one for the whole file otherwise. Memory is bounded by the number of distinct keys, not by the file's size.
 */
public final class StructureAnalyzer {

    /** The SQL columns every dataset table has; user keys never take these names. */
    public static final Set<String> SYSTEM_COLUMNS = Set.of("_file_id", "_row", "_extra");

    private final int maxColumns;

    /** @param maxColumns more distinct keys than this make a file JSONB (PostgreSQL's hard limit is 1,600) */
    public StructureAnalyzer(int maxColumns) {
        this.maxColumns = maxColumns;
    }

    public Analysis analyze(byte[] json, boolean jsonLines) {
        Profile profile = new Profile();
        Shape shape = JsonRecords.read(json, jsonLines, profile::add);
        return profile.decide(shape);
    }

    private final class Profile {
        private final Map<String, SqlType> types = new LinkedHashMap<>();
        private final Map<String, Long> present = new LinkedHashMap<>();
        private long records;
        private boolean allObjects = true;
        private boolean allFlat = true;

        void add(JsonNode record) {
            records++;
            if (!record.isObject()) {
                allObjects = false;
            }
            if (!allObjects || !allFlat || types.size() > maxColumns) {
                return; // already a document; keep reading only to validate the JSON
            }
            for (Map.Entry<String, JsonNode> field : record.properties()) {
                JsonNode value = field.getValue();
                if (value.isContainer()) {
                    allFlat = false;
                    return;
                }
                if (!value.isNull()) {
                    types.merge(field.getKey(), typeOf(value), SqlType::widen);
                    present.merge(field.getKey(), 1L, Long::sum);
                } else {
                    types.putIfAbsent(field.getKey(), SqlType.TEXT);
                    present.putIfAbsent(field.getKey(), 0L);
                }
            }
        }

        Analysis decide(Shape shape) {
            boolean collection = shape != Shape.DOCUMENT && allObjects && records > 0;
            List<String> reasons = new ArrayList<>();
            if (!collection) {
                reasons.add(
                        switch (shape) {
                            case DOCUMENT -> "The file is a single JSON document, not a collection of records.";
                            case ARRAY, JSON_LINES ->
                                records == 0
                                        ? "The file holds no records."
                                        : "Not every element is a JSON object, so the elements are not records.";
                        });
                boolean perRecord = shape == Shape.JSON_LINES;
                return new Analysis(shape, records, Storage.JSONB, perRecord, List.of(), reasons);
            }
            if (!allFlat) {
                reasons.add("Records hold nested objects or arrays; stored as one JSONB document per record.");
                return new Analysis(shape, records, Storage.JSONB, true, List.of(), reasons);
            }
            if (types.size() > maxColumns) {
                reasons.add("Records have more than %d distinct keys; stored as one JSONB document per record."
                        .formatted(maxColumns));
                return new Analysis(shape, records, Storage.JSONB, true, List.of(), reasons);
            }
            if (types.isEmpty()) {
                reasons.add("Records are empty objects; stored as one JSONB document per record.");
                return new Analysis(shape, records, Storage.JSONB, true, List.of(), reasons);
            }
            Set<String> taken = new HashSet<>(SYSTEM_COLUMNS);
            List<Column> columns = new ArrayList<>();
            types.forEach((key, type) -> {
                String name = Identifiers.column(key, taken);
                taken.add(name);
                columns.add(new Column(key, name, type, present.get(key)));
            });
            reasons.add("%d records with %d flat keys: stored as a typed table, one column per key."
                    .formatted(records, columns.size()));
            return new Analysis(shape, records, Storage.SQL, true, columns, reasons);
        }
    }

    static SqlType typeOf(JsonNode scalar) {
        if (scalar.isBoolean()) {
            return SqlType.BOOLEAN;
        }
        if (scalar.isIntegralNumber()) {
            return scalar.canConvertToLong() ? SqlType.BIGINT : SqlType.NUMERIC;
        }
        if (scalar.isNumber()) {
            return SqlType.NUMERIC;
        }
        return SqlType.TEXT;
    }
}
