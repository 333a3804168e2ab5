// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import static dev.stowage.worker.analysis.Identifiers.quote;

import dev.stowage.model.DatasetTables;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.SqlType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a file's columns need of its dataset's table, worked out from what the table and the dataset's catalog hold
 * (no database access: {@link TableChanges} reads and changes them). A path the catalog names keeps its column; a
 * new path gets a column named after it, none of the system columns' or the table's names, as long as the table has
 * fewer than {@code maxColumns} typed columns (else its values stay in {@code _extra}); a {@code bigint} column
 * widens to {@code numeric} for decimals, and a column of any other type stays, this file's values of the other
 * type going to {@code _extra}.
 *
 * @param columns the columns the file's rows go into, named and typed as in the table once the plan is carried out
 * @param ddl the statements that make the table hold them, in order
 * @param catalogAdditions the columns whose path the catalog is to record
 * @param createsTable whether the table does not exist yet (its schema may not either)
 */
record TablePlan(List<Column> columns, List<String> ddl, List<Column> catalogAdditions, boolean createsTable) {

    /**
     * A table's columns and its dataset's catalog, as read.
     *
     * @param columns the table's columns (system columns too) by name; empty when there is no table
     * @param catalog the column of each key path, by path
     */
    record Existing(Map<String, SqlType> columns, Map<List<String>, String> catalog) {}

    /** Whether the table and catalog hold everything the file needs already (the usual case). */
    boolean changesNothing() {
        return ddl.isEmpty() && catalogAdditions.isEmpty();
    }

    static TablePlan of(String schema, String dataset, List<Column> proposed, Existing existing, int maxColumns) {
        String table = Identifiers.qualified(schema, dataset);
        Map<String, SqlType> columnsNow = existing.columns();
        int userColumns = (int) columnsNow.keySet().stream()
                .filter(name -> !DatasetTables.SYSTEM_COLUMNS.contains(name))
                .count();
        Map<List<String>, String> catalog = existing.catalog();
        Set<String> taken = new HashSet<>(columnsNow.keySet());
        taken.addAll(DatasetTables.SYSTEM_COLUMNS);
        taken.addAll(catalog.values());
        List<Column> columns = new ArrayList<>();
        List<String> ddl = new ArrayList<>();
        List<Column> additions = new ArrayList<>();
        List<String> newDefinitions = new ArrayList<>();
        for (Column column : proposed) {
            String name = catalog.get(column.path());
            SqlType current = name == null ? null : columnsNow.get(name);
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
        boolean createsTable = columnsNow.isEmpty();
        if (createsTable) {
            ddl.add(0, createTable(table, newDefinitions));
        } else {
            newDefinitions.forEach(definition -> ddl.add("alter table %s add column %s".formatted(table, definition)));
        }
        return new TablePlan(columns, ddl, additions, createsTable);
    }

    /** A dataset table: the system columns around the typed ones, keyed by file and row. */
    private static String createTable(String table, List<String> definitions) {
        String typed = definitions.isEmpty() ? "" : String.join(", ", definitions) + ", ";
        return "create table %s (%s uuid not null, %s bigint not null, %s%s jsonb, %s text[], primary key (%s, %s))"
                .formatted(
                        table,
                        quote(DatasetTables.FILE_ID),
                        quote(DatasetTables.ROW),
                        typed,
                        quote(DatasetTables.EXTRA),
                        quote(DatasetTables.ABSENT),
                        quote(DatasetTables.FILE_ID),
                        quote(DatasetTables.ROW));
    }
}
