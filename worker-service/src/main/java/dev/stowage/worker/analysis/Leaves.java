// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Walks records' leaves: nested objects are descended into down to {@code maxDepth} levels; everything else
 * (scalars, nulls, arrays, empty objects, objects deeper than that) is a leaf at its key path. The analyzer and
 * the writer walk records the same way, so a path means the same thing to both.
 *
 * <p>One walker serves all the records of a file and hands out the same path list for the same path every time,
 * so that a leaf costs no new list: records of a collection repeat their keys, and this is the innermost loop of
 * both passes over a file. Only the first {@link #MAX_REMEMBERED} paths are remembered, so that a file of ever new
 * keys costs bounded memory.
 */
public final class Leaves {

    /** Receives each leaf with its key path from the record's root. */
    public interface Visitor {
        void leaf(List<String> path, JsonNode value);
    }

    static final int MAX_REMEMBERED = 10_000;

    private final int maxDepth;
    /** Child paths by parent path (by identity: parents are themselves remembered) and key. */
    private final Map<List<String>, Map<String, List<String>>> children = new IdentityHashMap<>();

    private int remembered;

    public Leaves(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public void walk(JsonNode record, Visitor visitor) {
        walk(record, List.of(), 1, visitor);
    }

    /** Walks one field's value at {@code path}, {@code depth} levels below the record (a record's own fields: 1). */
    public void walk(List<String> path, JsonNode value, int depth, Visitor visitor) {
        if (value.isObject() && !value.isEmpty() && depth < maxDepth) {
            walk(value, path, depth + 1, visitor);
        } else {
            visitor.leaf(path, value);
        }
    }

    private void walk(JsonNode object, List<String> prefix, int depth, Visitor visitor) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            walk(path(prefix, field.getKey()), field.getValue(), depth, visitor);
        }
    }

    /** The path of {@code key} under {@code prefix} (a path this walker handed out, or the empty list). */
    public List<String> path(List<String> prefix, String key) {
        Map<String, List<String>> known = children.get(prefix);
        List<String> path = known == null ? null : known.get(key);
        if (path != null) {
            return path;
        }
        List<String> built = new ArrayList<>(prefix.size() + 1);
        built.addAll(prefix);
        built.add(key);
        path = List.copyOf(built);
        if (remembered < MAX_REMEMBERED) {
            children.computeIfAbsent(prefix, p -> new HashMap<>()).put(key, path);
            remembered++;
        }
        return path;
    }
}
