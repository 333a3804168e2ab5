// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Column;
import java.util.List;

/**
 * Where a file's data went: {@code table} is schema-qualified, as users query it; {@code columns} are the typed
 * columns as they are in the table (empty for JSONB).
 */
public record Stored(Storage storage, String table, long records, List<Column> columns) {

    public Stored {
        columns = List.copyOf(columns);
    }
}
