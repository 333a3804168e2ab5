// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Places a value at a key path inside an object, creating the objects on the way. The worker uses it to build a
 * row's {@code _extra}, the gateway to rebuild records from columns: both must place paths the same way.
 */
public final class JsonPaths {

    private JsonPaths() {}

    public static void putAt(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode parent = root;
        for (String key : path.subList(0, path.size() - 1)) {
            JsonNode child = parent.get(key);
            parent = child instanceof ObjectNode object ? object : parent.putObject(key);
        }
        parent.set(path.get(path.size() - 1), value);
    }
}
