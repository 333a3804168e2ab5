// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.List;

/**
 * One typed column of a record collection.
 *
 * @param path the JSON keys from the record's root to the value
 * @param name its SQL name (unquoted; quote with {@link Identifiers#quote})
 * @param type the type that holds the path's dominant kind of value
 * @param values how many values (nulls included) the column holds
 */
public record Column(List<String> path, String name, SqlType type, long values) {

    public Column {
        path = List.copyOf(path);
    }

    public Column withName(String newName) {
        return new Column(path, newName, type, values);
    }
}
