package dev.stowage.model;

/** How a file's data was stored: rows of a typed table, or JSONB documents. */
public enum Storage {
    SQL,
    JSONB
}
