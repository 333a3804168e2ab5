// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/** How a file's data was stored: rows of a typed table, or JSONB documents. */
public enum Storage {
    SQL,
    JSONB
}
