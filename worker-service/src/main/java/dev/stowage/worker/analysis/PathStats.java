// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.FileReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/** What one key path held across all records: how often, and which kinds of values. */
final class PathStats {

    final List<String> path;
    long nulls;
    long booleans;
    long integers;
    long decimals;
    long strings;
    long dates;
    long timestamps;
    long uuids;
    long arrays;
    long arrayElements;
    long objects;

    PathStats(List<String> path) {
        this.path = path;
    }

    void add(JsonNode value) {
        if (value.isNull()) {
            nulls++;
        } else if (value.isBoolean()) {
            booleans++;
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            integers++;
        } else if (value.isNumber()) {
            decimals++;
        } else if (value.isString()) {
            addString(value.stringValue());
        } else if (value.isArray()) {
            arrays++;
            arrayElements += value.size();
        } else {
            objects++;
        }
    }

    /**
     * The same for a scalar read from the parser's tokens, without a tree: counted exactly as {@link #add(JsonNode)}
     * counts the node Jackson would build of it.
     *
     * @param fitsLong for an integer, whether it is within {@code long} (Jackson's int or long node)
     * @param text for a string, its value
     */
    void add(JsonToken token, boolean fitsLong, String text) {
        switch (token) {
            case VALUE_NULL -> nulls++;
            case VALUE_TRUE, VALUE_FALSE -> booleans++;
            case VALUE_NUMBER_INT -> {
                if (fitsLong) {
                    integers++;
                } else {
                    decimals++;
                }
            }
            case VALUE_NUMBER_FLOAT -> decimals++;
            case VALUE_STRING -> addString(text);
            default -> throw new IllegalArgumentException("Not a scalar: " + token);
        }
    }

    private void addString(String text) {
        strings++;
        if (Strings.isDate(text)) {
            dates++;
        } else if (Strings.isTimestamp(text)) {
            timestamps++;
        } else if (Strings.isUuid(text)) {
            uuids++;
        }
    }

    long leaves() {
        return nulls + booleans + integers + decimals + strings + arrays + objects;
    }

    /** The type of the dominant kind of scalar, if any scalar was seen. */
    Optional<SqlType> type() {
        long numbers = integers + decimals;
        long most = Math.max(booleans, Math.max(numbers, strings));
        if (most == 0) {
            return Optional.empty();
        }
        if (strings == most) {
            if (dates == strings) {
                return Optional.of(SqlType.DATE);
            }
            if (timestamps == strings) {
                return Optional.of(SqlType.TIMESTAMPTZ);
            }
            return Optional.of(uuids == strings ? SqlType.UUID : SqlType.TEXT);
        }
        if (numbers == most) {
            return Optional.of(decimals == 0 ? SqlType.BIGINT : SqlType.NUMERIC);
        }
        return Optional.of(SqlType.BOOLEAN);
    }

    /** Values a column of {@link #type()} holds: the dominant kind, and nulls. */
    long heldByColumn() {
        return type().map(type -> switch (type) {
                            case BOOLEAN -> booleans;
                            case BIGINT, NUMERIC -> integers + decimals;
                            default -> strings;
                        })
                        .orElse(0L)
                + nulls;
    }

    FileReport.PathProfile report(long records) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        put(kinds, "null", nulls);
        put(kinds, "boolean", booleans);
        put(kinds, "integer", integers);
        put(kinds, "decimal", decimals);
        put(kinds, "string", strings - dates - timestamps - uuids);
        put(kinds, "date", dates);
        put(kinds, "timestamp", timestamps);
        put(kinds, "uuid", uuids);
        put(kinds, "array", arrays);
        put(kinds, "object", objects);
        return new FileReport.PathProfile(
                String.join(".", path),
                records == 0 ? 0 : Math.round(leaves() * 1000.0 / records) / 1000.0,
                kinds,
                arrays > 0 ? Math.round(arrayElements * 10.0 / arrays) / 10.0 : null);
    }

    private static void put(Map<String, Long> kinds, String kind, long count) {
        if (count > 0) {
            kinds.put(kind, count);
        }
    }
}
