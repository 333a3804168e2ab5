// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import static dev.stowage.worker.analysis.Identifiers.quote;

import dev.stowage.model.DatasetsProperties;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.SqlType;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a dataset's table hold a file's columns before its rows are stored: creates the table (and the tenant's
 * schema), adds columns, widens types and records the columns' paths in the dataset's catalog, as its
 * {@link TablePlan} says. Other workers only ever add columns, widen {@code bigint} to {@code numeric} and add catalog
 * rows, so a table's columns stay right for a file however long ago they were prepared.
 */
@Component
public class TableChanges {

    private static final String COLUMNS_OF_TABLE = "select column_name, data_type from information_schema.columns"
            + " where table_schema = ? and table_name = ?";
    private static final String CATALOG =
            "select column_name, path from dataset_columns where tenant = ? and dataset = ?";
    private static final String ADD_TO_CATALOG =
            "insert into dataset_columns (tenant, dataset, column_name, path) values (?, ?, ?, ?)";
    private static final String LOCK_TABLE_DDL = "select pg_advisory_xact_lock(hashtextextended(?, 0))";
    private static final int KNOWN_TABLES = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DatasetsProperties datasets;

    /**
     * What this worker knows of the tables it wrote to lately, by {@link PreparedTable#key}: it saves two catalog
     * queries per file. It is safe to be out of date: a plan made on old knowledge of what other workers added needs
     * DDL or catalog rows, and for those it is made again afresh under the table's lock.
     */
    private final Map<String, TablePlan.Existing> known =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TablePlan.Existing> eldest) {
                    return size() > KNOWN_TABLES;
                }
            });

    TableChanges(JdbcTemplate jdbc, TransactionTemplate transaction, DatasetsProperties datasets) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.datasets = datasets;
    }

    /**
     * Makes the dataset's table hold the file's columns, outside any transaction of the caller's: what it changes
     * commits in a short transaction of its own, before the rows are stored. A table being created or altered is
     * closed to every other session until that transaction ends: were it the storing one, a large first file would
     * keep every other file of its dataset waiting through its whole COPY. A table or column made for a file that
     * then fails stays, empty: later files use it. A file that needs no change (the usual case) costs no
     * transaction at all.
     *
     * @param maxColumns the typed columns a table may have at most
     */
    public PreparedTable prepare(Target target, Analysis analysis, int maxColumns) {
        String schema = datasets.schemaFor(target.tenant());
        PreparedTable table = new PreparedTable(schema, target, List.of());
        try {
            return new PreparedTable(schema, target, columns(table, analysis.columns(), maxColumns));
        } catch (RuntimeException e) {
            forget(table.key()); // whatever went wrong, the next file reads the table afresh
            throw e;
        }
    }

    /** Forgets what this worker knew of the table: writing to it failed, and it may have changed since. */
    public void forget(String tableKey) {
        known.remove(tableKey);
    }

    private List<Column> columns(PreparedTable table, List<Column> proposed, int maxColumns) {
        TablePlan plan = TablePlan.of(table.schema(), table.dataset(), proposed, known(table), maxColumns);
        if (plan.changesNothing()) {
            return plan.columns();
        }
        boolean newSchema = plan.createsTable() && !schemaExists(table.schema());
        return transaction.execute(tx -> change(table, proposed, maxColumns, newSchema));
    }

    /** The DDL and catalog rows the file's columns need, serialized per table across all workers; in a transaction. */
    private List<Column> change(PreparedTable table, List<Column> proposed, int maxColumns, boolean newSchema) {
        if (newSchema) {
            // A tenant's first table: its schema, made once under a lock of its own so that workers creating
            // two tables of the tenant at once do not both try.
            jdbc.queryForList(LOCK_TABLE_DDL, "stowage.ddl:" + table.schema());
            jdbc.execute("create schema if not exists " + quote(table.schema()));
        }
        jdbc.queryForList(LOCK_TABLE_DDL, "stowage.ddl:" + table.key());
        // Read afresh: another worker may have changed the table while we waited, or what we knew was old.
        TablePlan plan = TablePlan.of(table.schema(), table.dataset(), proposed, read(table), maxColumns);
        forget(table.key()); // the DDL below is not committed yet
        plan.ddl().forEach(jdbc::execute);
        Target target = table.target();
        for (Column added : plan.catalogAdditions()) {
            jdbc.update(
                    ADD_TO_CATALOG,
                    target.tenant(),
                    target.dataset(),
                    added.name(),
                    added.path().toArray(String[]::new));
        }
        return plan.columns();
    }

    /** What we knew of the table from an earlier file, else read now (and kept once the table exists). */
    private TablePlan.Existing known(PreparedTable table) {
        TablePlan.Existing existing = known.get(table.key());
        if (existing == null) {
            existing = read(table);
            if (!existing.columns().isEmpty()) {
                known.put(table.key(), existing);
            }
        }
        return existing;
    }

    private TablePlan.Existing read(PreparedTable table) {
        return new TablePlan.Existing(columnsOf(table.schema(), table.dataset()), catalog(table.target()));
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
}
