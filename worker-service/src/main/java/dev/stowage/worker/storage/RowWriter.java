// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.JsonPaths;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.Leaves;
import dev.stowage.worker.analysis.RecordKeys;
import dev.stowage.worker.analysis.SqlType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes one file's records as binary COPY rows of its dataset table: {@code _file_id}, {@code _row}, the typed
 * values, then {@code _extra} (what no column holds exactly) and {@code _absent} (the columns whose key the record
 * lacks). A record's scalar fields are read straight from the parser's tokens into their columns' binary encoding;
 * only nested values and values no column holds become trees, so that neither the worker builds a tree of every
 * record nor PostgreSQL parses every value's text.
 */
final class RowWriter {
    /** {@link #ends} of a column whose key the record lacks; of one that holds JSON null. */
    private static final int ABSENT = -2;

    private static final int JSON_NULL = -1;

    private static final int[] NO_COLUMNS = {};

    private final UUID fileId;
    private final List<Column> columns;
    private final Map<List<String>, Integer> index = new HashMap<>();
    /** The columns under each top-level key, forgotten when a record repeats the key (the last one wins). */
    private final Map<String, int[]> columnsUnder = new HashMap<>();
    /** Records' own keys as met, so that a field costs one lookup. */
    private final RecordKeys<TopKey> topKeys = new RecordKeys<>(this::topKey);

    private final Leaves leaves;
    /** The current record's encoded column values, each at {@code starts[i]} to {@code ends[i]}. */
    private final CopyBinary values = new CopyBinary();

    private final int[] starts;
    private final int[] ends;
    private final CopyBinary row = new CopyBinary();
    private ObjectNode extra;
    private long count;

    /** A key of records' own: its column if one holds its values directly, and the columns under it. */
    private static final class TopKey extends RecordKeys.Key {
        final int column;
        final int[] under;

        TopKey(List<String> path, int column, int[] under) {
            super(path);
            this.column = column;
            this.under = under;
        }
    }

    RowWriter(UUID fileId, List<Column> columns, int maxDepth) {
        this.fileId = fileId;
        this.columns = columns;
        this.leaves = new Leaves(maxDepth);
        this.starts = new int[columns.size()];
        this.ends = new int[columns.size()];
        Map<String, List<Integer>> under = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            List<String> path = columns.get(i).path();
            index.put(path, i);
            under.computeIfAbsent(path.get(0), k -> new ArrayList<>()).add(i);
        }
        under.forEach((key, list) ->
                columnsUnder.put(key, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Rows written so far. */
    long count() {
        return count;
    }

    /** Writes the record at the parser as one row; returns with the parser on the record's last token. */
    void write(OutputStream out, JsonParser parser) throws IOException {
        Arrays.fill(ends, ABSENT);
        values.clear();
        extra = null;
        topKeys.nextRecord();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            leaves.walk(JsonRecords.MAPPER.readTree(parser), this::leaf);
        } else {
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                TopKey key = topKeys.get(parser.currentName());
                token = parser.nextToken();
                if (topKeys.metAgain(key)) {
                    forget(key);
                }
                if (key.column < 0 || !token.isScalarValue() || !scalar(parser, token, key.column)) {
                    leaves.walk(key.path(), JsonRecords.MAPPER.readTree(parser), 1, this::leaf);
                }
            }
        }
        row(out);
    }

    private TopKey topKey(String name) {
        List<String> path = leaves.path(List.of(), name);
        return new TopKey(path, index.getOrDefault(path, -1), columnsUnder.getOrDefault(name, NO_COLUMNS));
    }

    private void leaf(List<String> path, JsonNode value) {
        Integer i = index.get(path);
        if (i != null && columns.get(i).type().holds(value)) {
            encode(i, value);
            return;
        }
        if (extra == null) {
            extra = JsonRecords.MAPPER.createObjectNode();
        }
        JsonPaths.putAt(extra, path, value);
    }

    /** A repeated key: what its earlier value put in columns and {@code _extra} goes, as a tree would drop it. */
    private void forget(TopKey key) {
        for (int i : key.under) {
            ends[i] = ABSENT;
        }
        if (extra != null) {
            extra.remove(key.path().get(0));
        }
    }

    /** Encodes the current scalar token as column {@code i}'s value if the column holds it; says whether. */
    private boolean scalar(JsonParser parser, JsonToken token, int i) {
        SqlType type = columns.get(i).type();
        starts[i] = values.length();
        switch (token) {
            case VALUE_NULL -> {
                ends[i] = JSON_NULL;
                return true;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                if (type != SqlType.BOOLEAN) {
                    return false;
                }
                values.booleanField(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                if (type == SqlType.NUMERIC) {
                    values.numericField(parser.getString()); // as written: no BigDecimal made of it
                } else if (type == SqlType.BIGINT
                        && token == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    values.bigintField(parser.getLongValue());
                } else {
                    return false;
                }
            }
            case VALUE_STRING -> {
                String text = parser.getString();
                if (!type.holdsString(text)) {
                    return false;
                }
                encodeString(type, text);
            }
            default -> {
                return false;
            }
        }
        ends[i] = values.length();
        return true;
    }

    /** Encodes a value column {@code i} {@link SqlType#holds}. */
    private void encode(int i, JsonNode value) {
        if (value.isNull()) {
            ends[i] = JSON_NULL;
            return;
        }
        starts[i] = values.length();
        SqlType type = columns.get(i).type();
        switch (type) {
            case BOOLEAN -> values.booleanField(value.booleanValue());
            case BIGINT -> values.bigintField(value.longValue());
            case NUMERIC -> values.numericField(value.decimalValue());
            default -> encodeString(type, value.stringValue());
        }
        ends[i] = values.length();
    }

    private void encodeString(SqlType type, String text) {
        switch (type) {
            case DATE -> values.dateField(text);
            case TIMESTAMPTZ -> values.timestampField(text);
            case UUID -> values.uuidField(text);
            default -> values.textField(text);
        }
    }

    private void row(OutputStream out) throws IOException {
        row.clear();
        row.int16(DatasetTables.SYSTEM_COLUMNS.size() + columns.size());
        row.uuidField(fileId);
        row.bigintField(count++);
        List<String> absent = null;
        for (int i = 0; i < columns.size(); i++) {
            if (ends[i] == ABSENT) {
                if (absent == null) {
                    absent = new ArrayList<>();
                }
                absent.add(columns.get(i).name());
                row.nullField();
            } else if (ends[i] == JSON_NULL) {
                row.nullField();
            } else {
                row.append(values, starts[i], ends[i]);
            }
        }
        if (extra == null) {
            row.nullField();
        } else {
            row.jsonbField(extra.toString());
        }
        if (absent == null) {
            row.nullField();
        } else {
            row.textArrayField(absent);
        }
        row.writeTo(out);
    }
}
