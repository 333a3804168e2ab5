package dev.stowage.worker.storage;

import static dev.stowage.worker.analysis.Identifiers.quote;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.JsonPaths;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.Leaves;
import dev.stowage.worker.analysis.SqlType;
import dev.stowage.worker.processing.AnalyzerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores a record collection as rows of a typed table in the datasets schema, loaded with COPY. Each row has
 * {@code _file_id}, {@code _row}, the typed columns, {@code _extra} (every value no column holds exactly, nested
 * as in the record) and {@code _absent} (the file's columns whose key the record lacks, so that absent and null
 * stay apart). A later file into the same dataset reuses the catalog's column for a path, adds the columns it
 * lacks and widens {@code bigint} to {@code numeric}; values of any other type go to {@code _extra}, so a type
 * conflict never fails a file and never changes stored values. DDL is serialized per table across all workers and
 * committed before the rows are stored ({@link #prepare}), so that files of a dataset are stored side by side.
 */
@Component
public class SqlTableWriter {

    private static final String COLUMNS_OF_TABLE = "select column_name, data_type from information_schema.columns"
            + " where table_schema = ? and table_name = ?";
    private static final String CATALOG =
            "select column_name, path from dataset_columns where tenant = ? and dataset = ?";
    private static final String ADD_TO_CATALOG =
            "insert into dataset_columns (tenant, dataset, column_name, path) values (?, ?, ?, ?)";
    private static final String LOCK_TABLE_DDL = "select pg_advisory_xact_lock(hashtextextended(?, 0))";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DatasetsProperties datasets;
    private final int maxColumns;

    /** What this worker knows of the tables it wrote to lately (see {@link #known}), by schema.table. */
    private final Map<String, Known> known = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > 1000;
        }
    });

    SqlTableWriter(
            JdbcTemplate jdbc,
            TransactionTemplate transaction,
            DatasetsProperties datasets,
            AnalyzerProperties analyzer) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.datasets = datasets;
        this.maxColumns = analyzer.maxColumns();
    }

    /** A dataset table as one file's rows go into it: its schema, and the file's columns in it. */
    public record Table(String schema, Target target, List<Column> columns) {

        String key() {
            return schema + "." + target.dataset();
        }
    }

    /**
     * Makes the dataset's table hold the file's columns (creates it, adds columns, widens types, records them in
     * the catalog), outside any transaction of the caller's: what it changes commits in a short transaction of its
     * own, before the rows are stored. A table being created or altered is closed to every other session until that
     * transaction ends: when it was the storing one, a large first file kept every other file of its dataset
     * waiting through its whole COPY, and they timed out and spent their retries. A table or column made for a file
     * that then fails stays, empty: later files use it. A file that needs no change (the usual case) costs no
     * transaction at all.
     */
    public Table prepare(Target target, Analysis analysis) {
        String schema = datasets.schemaFor(target.tenant());
        String key = schema + "." + target.dataset();
        try {
            return new Table(schema, target, prepare(schema, key, target, analysis.columns()));
        } catch (RuntimeException e) {
            known.remove(key); // whatever went wrong, the next file reads the table afresh
            throw e;
        }
    }

    private List<Column> prepare(String schema, String key, Target target, List<Column> proposed) {
        Plan plan = plan(schema, target, proposed, known(schema, target, key));
        if (plan.ddl.isEmpty() && plan.catalogAdditions.isEmpty()) {
            return plan.columns;
        }
        return transaction.execute(tx -> change(schema, key, target, proposed, plan.newSchema));
    }

    /** The DDL and catalog rows the file's columns need, serialized per table; in a transaction. */
    private List<Column> change(String schema, String key, Target target, List<Column> proposed, boolean newSchema) {
        if (newSchema) {
            // A tenant's first table: its schema, made once under a lock of its own so that workers creating
            // two tables of the tenant at once do not both try.
            jdbc.queryForList(LOCK_TABLE_DDL, "stowage.ddl:" + schema);
            jdbc.execute("create schema if not exists " + quote(schema));
        }
        jdbc.queryForList(LOCK_TABLE_DDL, "stowage.ddl:" + key);
        // Read afresh: another worker may have changed the table while we waited, or what we knew was old.
        Plan plan = plan(schema, target, proposed, read(schema, target));
        known.remove(key); // the DDL below is not committed yet
        plan.ddl.forEach(jdbc::execute);
        for (Column added : plan.catalogAdditions) {
            jdbc.update(
                    ADD_TO_CATALOG,
                    target.tenant(),
                    target.dataset(),
                    added.name(),
                    added.path().toArray(String[]::new));
        }
        return plan.columns;
    }

    /** A file's rows on their way into the table {@link #prepare} made ready for them. */
    public record Load(Table table, FileContent content, boolean jsonLines) {}

    /**
     * Stores the files' rows in their tables, in the caller's transaction: one COPY for all the files that go to the
     * same table with the same columns (the usual case for a batch of small files into one dataset), a COPY being
     * a statement PostgreSQL sets up anew each time. The columns stay right however long ago {@link #prepare} was:
     * other workers only ever add columns and widen {@code bigint} to {@code numeric}, which holds every value a
     * {@code bigint} column would.
     *
     * @return what each file stored, in the order of {@code loads}
     */
    public List<Stored> write(List<Load> loads, int maxDepth) {
        // Files share a COPY when they agree on the table, its columns and their types (the values' encoding).
        Map<List<Object>, List<Integer>> byCopy = new LinkedHashMap<>();
        for (int i = 0; i < loads.size(); i++) {
            Table table = loads.get(i).table();
            List<Object> key = new ArrayList<>(List.of(table.key()));
            table.columns().forEach(column -> key.addAll(List.of(column.name(), column.type())));
            byCopy.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Stored[] stored = new Stored[loads.size()];
        byCopy.forEach((key, files) -> {
            Table table = loads.get(files.get(0)).table();
            String copy = copySql(table);
            try {
                List<RowWriter> rows = files.stream()
                        .map(i -> loads.get(i).table())
                        .map(own -> new RowWriter(own.target().fileId(), own.columns(), maxDepth))
                        .toList();
                long size = files.stream()
                        .mapToLong(i -> loads.get(i).content().size())
                        .sum();
                Copy.binary(jdbc, copy, size, out -> {
                    long count = 0;
                    for (int f = 0; f < files.size(); f++) {
                        Load load = loads.get(files.get(f));
                        RowWriter writer = rows.get(f);
                        try (InputStream json = load.content().open()) {
                            JsonRecords.readTokens(json, load.jsonLines(), record -> writer.write(out, record));
                        }
                        count += writer.count;
                    }
                    return count;
                });
                for (int f = 0; f < files.size(); f++) {
                    Load load = loads.get(files.get(f));
                    stored[files.get(f)] = new Stored(
                            Storage.SQL,
                            table.key(),
                            rows.get(f).count,
                            load.table().columns());
                }
            } catch (RuntimeException e) {
                known.remove(table.key());
                throw e;
            }
        });
        return List.of(stored);
    }

    private static String copySql(Table table) {
        return "copy %s (%s, %s, %s, %s, %s) from stdin with (format binary)"
                .formatted(
                        Identifiers.qualified(table.schema(), table.target().dataset()),
                        quote(DatasetTables.FILE_ID),
                        quote(DatasetTables.ROW),
                        table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")),
                        quote(DatasetTables.EXTRA),
                        quote(DatasetTables.ABSENT));
    }

    /** The columns this file writes to, and the DDL and catalog rows needed first. */
    private record Plan(List<Column> columns, List<String> ddl, List<Column> catalogAdditions, boolean newSchema) {}

    /** A table's columns and its dataset's catalog, as last read. */
    private record Known(Map<String, SqlType> columns, Map<List<String>, String> catalog) {}

    private Known read(String schema, Target target) {
        return new Known(columnsOf(schema, target.dataset()), catalog(target));
    }

    /**
     * What we knew of the table from an earlier file, else read now. Knowing saves two catalog queries per file.
     * It is safe to be out of date: other workers only ever add columns, widen types and add catalog rows, and a
     * plan made on old knowledge of any of these needs DDL or catalog rows, for which it is made again afresh under
     * the table's lock.
     */
    private Known known(String schema, Target target, String key) {
        Known table = known.get(key);
        if (table == null) {
            table = read(schema, target);
            if (!table.columns().isEmpty()) {
                known.put(key, table);
            }
        }
        return table;
    }

    private Plan plan(String schema, Target target, List<Column> proposed, Known state) {
        String table = Identifiers.qualified(schema, target.dataset());
        Map<String, SqlType> existing = state.columns();
        int userColumns = (int) existing.keySet().stream()
                .filter(name -> !DatasetTables.SYSTEM_COLUMNS.contains(name))
                .count();
        Map<List<String>, String> catalog = state.catalog();
        Set<String> taken = new HashSet<>(existing.keySet());
        taken.addAll(DatasetTables.SYSTEM_COLUMNS);
        taken.addAll(catalog.values());
        List<Column> columns = new ArrayList<>();
        List<String> ddl = new ArrayList<>();
        List<Column> additions = new ArrayList<>();
        List<String> newDefinitions = new ArrayList<>();
        for (Column column : proposed) {
            String name = catalog.get(column.path());
            SqlType current = name == null ? null : existing.get(name);
            if (current == null && userColumns >= maxColumns) {
                continue; // the table has all the columns it may have: this path's values stay in _extra
            }
            if (name == null) {
                name = Identifiers.column(column.path(), taken);
                taken.add(name);
                additions.add(column.withName(name));
            }
            if (current == null) {
                newDefinitions.add(quote(name) + " " + column.type().sql());
                userColumns++;
                columns.add(column.withName(name));
                continue;
            }
            Optional<SqlType> widened = current.widenedFor(column.type());
            if (widened.isPresent() && widened.get() != current) {
                ddl.add("alter table %s alter column %s type %s"
                        .formatted(table, quote(name), widened.get().sql()));
            }
            // An incompatible existing type stays; this file's values of the other type go to _extra.
            columns.add(new Column(column.path(), name, widened.orElse(current), column.values()));
        }
        if (existing.isEmpty()) {
            String definitions = newDefinitions.isEmpty() ? "" : String.join(", ", newDefinitions) + ", ";
            ddl.add(
                    0,
                    "create table %s (%s uuid not null, %s bigint not null, %s%s jsonb, %s text[], primary key (%s, %s))"
                            .formatted(
                                    table,
                                    quote(DatasetTables.FILE_ID),
                                    quote(DatasetTables.ROW),
                                    definitions,
                                    quote(DatasetTables.EXTRA),
                                    quote(DatasetTables.ABSENT),
                                    quote(DatasetTables.FILE_ID),
                                    quote(DatasetTables.ROW)));
        } else {
            newDefinitions.forEach(definition -> ddl.add("alter table %s add column %s".formatted(table, definition)));
        }
        boolean newSchema = existing.isEmpty() && !schemaExists(schema);
        return new Plan(columns, ddl, additions, newSchema);
    }

    private boolean schemaExists(String schema) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from pg_namespace where nspname = ?)", Boolean.class, schema));
    }

    private Map<String, SqlType> columnsOf(String schema, String dataset) {
        Map<String, SqlType> columns = new LinkedHashMap<>();
        jdbc.query(
                COLUMNS_OF_TABLE,
                rs -> {
                    String name = rs.getString("column_name");
                    columns.put(
                            name, SqlType.ofCatalog(rs.getString("data_type")).orElse(SqlType.TEXT));
                },
                schema,
                dataset);
        return columns;
    }

    private Map<List<String>, String> catalog(Target target) {
        Map<List<String>, String> paths = new HashMap<>();
        jdbc.query(
                CATALOG,
                rs -> {
                    String[] path = (String[]) rs.getArray("path").getArray();
                    paths.put(List.of(path), rs.getString("column_name"));
                },
                target.tenant(),
                target.dataset());
        return paths;
    }

    /**
     * Turns records into binary COPY rows: {@code _file_id}, {@code _row}, the typed values, then {@code _extra}
     * and {@code _absent}. A record's scalar fields are read straight from the parser's tokens into their columns'
     * encoding; only nested values and values no column holds become trees. Building a tree of every record, and
     * PostgreSQL parsing every value's text, was most of the tabular path's time (bench/README.md).
     */
    private static final class RowWriter {
        /** {@link #ends} of a column whose key the record lacks; of one that holds JSON null. */
        private static final int ABSENT = -2;

        private static final int JSON_NULL = -1;

        private static final int[] NO_COLUMNS = {};
        /** Forgotten between records beyond this many keys. */
        private static final int MAX_TOP_KEYS = 10_000;

        private final UUID fileId;
        private final List<Column> columns;
        private final Map<List<String>, Integer> index = new HashMap<>();
        /** The columns under each top-level key, forgotten when a record repeats the key (the last one wins). */
        private final Map<String, int[]> columnsUnder = new HashMap<>();
        /** Records' own keys as met, so that a field costs one lookup (see {@link TopKey}). */
        private final Map<String, TopKey> topKeys = new HashMap<>();

        private final Leaves leaves;
        /** The current record's encoded column values, each at {@code starts[i]} to {@code ends[i]}. */
        private final CopyBinary values = new CopyBinary();

        private final int[] starts;
        private final int[] ends;
        private final CopyBinary row = new CopyBinary();
        private ObjectNode extra;
        long count;

        /**
         * A key of records' own: its path, its column if one holds its values directly, the columns under it, and
         * the last record that had it (a record that has it again repeats it).
         */
        private static final class TopKey {
            final List<String> path;
            final int column;
            final int[] under;
            long seenIn = -1;

            TopKey(List<String> path, int column, int[] under) {
                this.path = path;
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
            under.forEach((key, list) -> columnsUnder.put(
                    key, list.stream().mapToInt(Integer::intValue).toArray()));
        }

        void write(OutputStream out, JsonParser parser) throws IOException {
            Arrays.fill(ends, ABSENT);
            values.clear();
            extra = null;
            if (topKeys.size() > MAX_TOP_KEYS) {
                topKeys.clear(); // between records: a file of ever new keys costs no more memory
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                leaves.walk(JsonRecords.MAPPER.readTree(parser), this::leaf);
            } else {
                for (JsonToken token = parser.nextToken();
                        token == JsonToken.PROPERTY_NAME;
                        token = parser.nextToken()) {
                    TopKey key = topKeys.computeIfAbsent(parser.currentName(), this::topKey);
                    token = parser.nextToken();
                    if (key.seenIn == count) {
                        forget(key);
                    }
                    key.seenIn = count;
                    if (key.column < 0 || !token.isScalarValue() || !scalar(parser, token, key.column)) {
                        leaves.walk(key.path, JsonRecords.MAPPER.readTree(parser), 1, this::leaf);
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
                extra.remove(key.path.get(0));
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
            row.int16(columns.size() + 4);
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
}
