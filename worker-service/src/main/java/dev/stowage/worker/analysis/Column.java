package dev.stowage.worker.analysis;

/**
 * One typed column of a record collection.
 *
 * @param key the JSON key it holds
 * @param name its SQL name (unquoted; quote with {@link Identifiers#quote})
 * @param type the narrowest type that holds every value seen
 * @param present in how many records the key has a non-null value
 */
public record Column(String key, String name, SqlType type, long present) {}
