// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.FileReport;
import dev.stowage.model.Shape;
import dev.stowage.model.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Decides how a file is stored after profiling every record (no sampling: a type that appears late still counts).
 * Memory is bounded by the number of distinct key paths, not by the file's size.
 *
 * <p>A record collection (a top-level array or JSON Lines whose values are all objects) becomes a typed SQL table
 * when its columns (one per key path that is frequent enough, nested objects flattened with {@code __}) hold
 * enough of its values; every value a column cannot hold exactly goes to the row's {@code _extra}, so nothing is
 * lost. Everything else becomes JSONB documents. An object that wraps a record array (such as {@code
 * {"statuses": [...], "search_metadata": {...}}}) is kept whole as a document: unwrapping it would split one file
 * over two tables for little gain.
 */
public final class StructureAnalyzer {

    private final AnalyzerSettings settings;
    private final JsonRecords reader;

    public StructureAnalyzer(AnalyzerSettings settings) {
        this.settings = settings;
        this.reader = new JsonRecords(settings.limits());
    }

    public AnalyzerSettings settings() {
        return settings;
    }

    /** Streams the file: memory stays bounded by its distinct key paths, not by its size. */
    public Analysis analyze(InputStream json, boolean jsonLines) {
        Profile profile = new Profile();
        Shape shape = reader.tokens(json, jsonLines, profile::read);
        return profile.decide(shape);
    }

    /** One field of a record as read from the parser: a scalar's kind, or a tree of a nested value. */
    private static final class Field {
        TopKey key;
        JsonToken token;
        boolean fitsLong;
        String text;
        JsonNode tree;
    }

    /** A key of records' own with its statistics, once made. */
    private static final class TopKey extends RecordKeys.Key {
        PathStats stats;

        TopKey(List<String> path) {
            super(path);
        }
    }

    private final class Profile {
        private final Map<List<String>, PathStats> paths = new LinkedHashMap<>();
        private long records;
        private long nonObjects;
        private int depth;
        private boolean tooManyPaths;
        private JsonNode first;
        private final Leaves leaves = new Leaves(settings.maxDepth());
        /** The current record's fields, reused from record to record; the first {@link #count} are in use. */
        private Field[] fields = new Field[0];

        private int count;
        private final RecordKeys<TopKey> topKeys = new RecordKeys<>(name -> new TopKey(leaves.path(List.of(), name)));

        /**
         * Profiles the record at the parser. An object's scalar fields are read from the tokens, not made into
         * nodes, so that a tabular file costs no tree per record. The first record may be the whole file (a
         * document): it is read whole, as anything but an object is.
         */
        void read(JsonParser parser) throws IOException {
            if (records == 0 || parser.currentToken() != JsonToken.START_OBJECT) {
                add(JsonRecords.MAPPER.readTree(parser));
                return;
            }
            records++;
            first = null;
            count = 0;
            topKeys.nextRecord();
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                TopKey key = topKeys.get(parser.currentName());
                token = parser.nextToken();
                // a repeated key: its field is reused, so that the last value counts
                Field field = topKeys.metAgain(key) ? repeated(key) : next();
                field.key = key;
                field.token = token;
                field.tree = token.isScalarValue() ? null : JsonRecords.MAPPER.readTree(parser);
                field.text = token == JsonToken.VALUE_STRING ? parser.getString() : null;
                field.fitsLong = token == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
            }
            int deepest = 0;
            for (int i = 0; i < count; i++) {
                Field field = fields[i];
                TopKey key = field.key;
                if (field.tree == null) {
                    if (key.stats == null) {
                        key.stats = stats(key.path());
                    }
                    if (key.stats != null) {
                        key.stats.add(field.token, field.fitsLong, field.text);
                    }
                } else {
                    deepest = Math.max(deepest, depthOf(field.tree));
                    leaves.walk(key.path(), field.tree, 1, this::leaf);
                }
            }
            depth = Math.max(depth, deepest + 1);
        }

        private Field next() {
            if (count == fields.length) {
                fields = Arrays.copyOf(fields, Math.max(16, count * 2));
                for (int i = count; i < fields.length; i++) {
                    fields[i] = new Field();
                }
            }
            return fields[count++];
        }

        private Field repeated(TopKey key) {
            for (int i = 0; i < count; i++) {
                if (fields[i].key == key) {
                    return fields[i];
                }
            }
            throw new IllegalStateException("Key seen but not kept: " + key.path());
        }

        void add(JsonNode record) {
            records++;
            first = records == 1 ? record : null; // kept only while it may be the whole file (a document)
            depth = Math.max(depth, depthOf(record));
            if (!record.isObject()) {
                nonObjects++;
                return;
            }
            leaves.walk(record, this::leaf);
        }

        private void leaf(List<String> path, JsonNode value) {
            PathStats stats = stats(path);
            if (stats != null) {
                stats.add(value);
            }
        }

        /** The statistics of a path, new if need be; null once the file has more paths than a profile keeps. */
        private PathStats stats(List<String> path) {
            PathStats stats = paths.get(path);
            if (stats == null) {
                if (paths.size() >= settings.maxPaths()) {
                    tooManyPaths = true;
                    return null;
                }
                stats = new PathStats(path);
                paths.put(path, stats);
            }
            return stats;
        }

        Analysis decide(Shape shape) {
            List<String> reasons = new ArrayList<>();
            if (shape == Shape.DOCUMENT || records == 0 || nonObjects > 0) {
                reasons.add(
                        shape == Shape.DOCUMENT
                                ? "The file is a single JSON document, not a collection of records; stored whole as JSONB."
                                : records == 0
                                        ? "The file holds no records; stored as one JSONB document."
                                        : "%d of %d elements are not JSON objects, so they are not records; stored as JSONB."
                                                .formatted(nonObjects, records));
                FileReport.MapObject mapLike = shape == Shape.DOCUMENT && first != null
                        ? MapLike.find(first, settings.mapLikeMinKeys()).orElse(null)
                        : null;
                if (mapLike != null) {
                    reasons.add(
                            "It is map-like: %s has %s keys that are data (ids, numbers, dates) or whose values share one shape."
                                    .formatted(mapLike.path(), mapLike.keys()));
                }
                boolean perRecord = shape == Shape.JSON_LINES;
                return new Analysis(
                        shape, records, Storage.JSONB, perRecord, depth, List.of(), 0, reasons, null, mapLike);
            }
            List<FileReport.PathProfile> profiles =
                    paths.values().stream().map(p -> p.report(records)).toList();
            if (tooManyPaths) {
                reasons.add("Records have more than %d distinct key paths: too irregular for a table; stored as JSONB."
                        .formatted(settings.maxPaths()));
                return new Analysis(shape, records, Storage.JSONB, true, depth, List.of(), 0, reasons, profiles, null);
            }
            List<Column> columns = chooseColumns();
            long leaves = paths.values().stream().mapToLong(PathStats::leaves).sum();
            long held = columns.stream().mapToLong(Column::values).sum();
            double coverage = leaves == 0 ? 0 : Math.round(held * 10000.0 / leaves) / 10000.0;
            // Concatenated, not formatted: every file, however small, has a summary, and a Formatter is costly.
            String summary = records + " records, " + paths.size() + " key paths; " + columns.size()
                    + " typed columns hold "
                    + BigDecimal.valueOf(coverage * 100).setScale(1, RoundingMode.HALF_UP) + "% of the " + leaves
                    + " values";
            if (columns.isEmpty() || coverage < settings.minCoverage()) {
                reasons.add(summary
                        + ", below the %.0f%% a table needs; stored as one JSONB document per record."
                                .formatted(settings.minCoverage() * 100));
                return new Analysis(
                        shape, records, Storage.JSONB, true, depth, List.of(), coverage, reasons, profiles, null);
            }
            reasons.add(summary + ": stored as a typed table"
                    + (held < leaves
                            ? "; the other values (rare keys, other types, arrays, deeper objects) go to _extra."
                            : "."));
            return new Analysis(shape, records, Storage.SQL, true, depth, columns, coverage, reasons, profiles, null);
        }

        /** Frequent paths with a scalar type, the most useful first when over budget, in first-seen order. */
        private List<Column> chooseColumns() {
            List<PathStats> candidates = paths.values().stream()
                    .filter(p -> p.type().isPresent())
                    .filter(p -> p.path.stream().noneMatch(key -> key.indexOf('\0') >= 0)) // text[] cannot hold NUL
                    .filter(p -> p.heldByColumn() >= settings.minPresence() * records)
                    .sorted(Comparator.comparingLong(PathStats::heldByColumn).reversed())
                    .limit(settings.maxColumns())
                    .toList();
            Set<String> taken = new HashSet<>(DatasetTables.SYSTEM_COLUMNS);
            List<Column> columns = new ArrayList<>();
            for (PathStats stats : paths.values()) {
                if (candidates.contains(stats)) {
                    String name = Identifiers.column(stats.path, taken);
                    taken.add(name);
                    columns.add(new Column(stats.path, name, stats.type().orElseThrow(), stats.heldByColumn()));
                }
            }
            return columns;
        }
    }

    private static int depthOf(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depthOf(child));
        }
        return node.isContainer() ? deepest + 1 : 0;
    }
}
