// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/** How the file's top level is laid out. */
public enum Shape {
    /** A top-level array; its elements are the candidate records. */
    ARRAY,
    /** JSON Lines / NDJSON: one JSON value per line; each value is a candidate record. */
    JSON_LINES,
    /** One JSON value that is not an array: an object or a scalar. */
    DOCUMENT
}
