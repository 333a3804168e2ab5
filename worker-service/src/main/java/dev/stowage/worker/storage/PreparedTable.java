// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import dev.stowage.worker.analysis.Column;
import java.util.List;

/**
 * A dataset table made ready for one file's rows by {@link TableChanges#prepare}.
 *
 * @param schema the tenant's datasets schema
 * @param target the file, and the dataset whose table this is
 * @param columns the file's typed columns as they are in the table
 */
public record PreparedTable(String schema, Target target, List<Column> columns) {

    public PreparedTable {
        columns = List.copyOf(columns);
    }

    public String dataset() {
        return target.dataset();
    }

    /** {@code schema.table}, unquoted: the table as users query it, and what a worker knows of it is kept by. */
    public String key() {
        return schema + "." + target.dataset();
    }
}
