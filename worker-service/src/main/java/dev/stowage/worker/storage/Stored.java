package dev.stowage.worker.storage;

import dev.stowage.model.Storage;

/** Where a file's data went: {@code table} is schema-qualified, as users query it. */
public record Stored(Storage storage, String table, long records) {}
