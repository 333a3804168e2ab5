package dev.stowage.worker.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Walks a record's leaves: nested objects are descended into down to {@code maxDepth} levels; everything else
 * (scalars, nulls, arrays, empty objects, objects deeper than that) is a leaf at its key path. The analyzer and
 * the writer walk records the same way, so a path means the same thing to both.
 */
public final class Leaves {

    /** Receives each leaf with its key path from the record's root. */
    public interface Visitor {
        void leaf(List<String> path, JsonNode value);
    }

    private Leaves() {}

    public static void walk(JsonNode record, int maxDepth, Visitor visitor) {
        walk(record, List.of(), 1, maxDepth, visitor);
    }

    private static void walk(JsonNode object, List<String> prefix, int depth, int maxDepth, Visitor visitor) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            List<String> path = new ArrayList<>(prefix.size() + 1);
            path.addAll(prefix);
            path.add(field.getKey());
            JsonNode value = field.getValue();
            if (value.isObject() && !value.isEmpty() && depth < maxDepth) {
                walk(value, List.copyOf(path), depth + 1, maxDepth, visitor);
            } else {
                visitor.leaf(List.copyOf(path), value);
            }
        }
    }
}
