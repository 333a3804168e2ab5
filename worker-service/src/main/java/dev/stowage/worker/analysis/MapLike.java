// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.FileReport;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Finds an object used as a map: many keys that are data (ids, numbers, uuids, dates), or many keys whose values
 * are objects of one shape (like {@code {"plugin-a": {...}, "plugin-b": {...}}}). Such keys must not become
 * columns; the report says so.
 */
final class MapLike {

    private MapLike() {}

    /** The document itself or one of its members, if map-like. */
    static Optional<FileReport.MapObject> find(JsonNode document, int minKeys) {
        if (isMap(document, minKeys)) {
            return Optional.of(new FileReport.MapObject("$", document.size()));
        }
        for (Map.Entry<String, JsonNode> member : document.properties()) {
            if (isMap(member.getValue(), minKeys)) {
                return Optional.of(new FileReport.MapObject(
                        "$." + member.getKey(), member.getValue().size()));
            }
        }
        return Optional.empty();
    }

    private static boolean isMap(JsonNode node, int minKeys) {
        if (!node.isObject() || node.size() < minKeys) {
            return false;
        }
        long dataKeys =
                node.propertyNames().stream().filter(Strings::looksLikeData).count();
        if (dataKeys >= 0.8 * node.size()) {
            return true;
        }
        // Values of one shape: every value an object, and their keys mostly shared.
        Set<String> union = new HashSet<>();
        long keys = 0;
        for (JsonNode value : node) {
            if (!value.isObject()) {
                return false;
            }
            union.addAll(value.propertyNames());
            keys += value.size();
        }
        double averageKeys = (double) keys / node.size();
        return averageKeys > 0 && union.size() <= 2 * averageKeys;
    }
}
