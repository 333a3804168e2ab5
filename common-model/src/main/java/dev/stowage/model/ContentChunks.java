// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/**
 * How a file's bytes are kept: rows of {@code file_chunks (file_id, chunk, bytes)}, chunk 0 first, each
 * {@link #SIZE} bytes but the last. Large enough that a typical file is one row and one round trip, small enough
 * that a 200 MB file never needs more than a chunk of memory at a time.
 */
public final class ContentChunks {

    public static final int SIZE = 1 << 20;

    public static final String INSERT = "insert into file_chunks (file_id, chunk, bytes) values (?, ?, ?)";

    public static final String SELECT = "select bytes from file_chunks where file_id = ? and chunk = ?";

    private ContentChunks() {}

    /** How many chunks a file of {@code size} bytes has. */
    public static int count(long size) {
        return (int) ((size + SIZE - 1) / SIZE);
    }
}
