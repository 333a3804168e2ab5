// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import tools.jackson.core.StreamReadConstraints;

/**
 * What one file may hold. Each limit is checked while the file streams, so a hostile file fails at the first value
 * that breaks a limit (with its position) instead of filling the worker's memory first.
 *
 * @param maxNestingDepth arrays and objects nested in one another, counted from the top of the file (a top-level
 *     array is the first level)
 * @param maxStringLength characters of one string value
 * @param maxNumberLength digits of one number
 * @param maxKeyLength characters of one key
 * @param maxKeysPerObject keys of one object, as written (a duplicated key counts each time)
 * @param maxRecordsPerFile records of one file: elements of a top-level array, or values of JSON Lines
 */
public record JsonLimits(
        int maxNestingDepth,
        int maxStringLength,
        int maxNumberLength,
        int maxKeyLength,
        int maxKeysPerObject,
        long maxRecordsPerFile) {

    /**
     * The deepest nesting any setting may allow: the storage writers turn records into text with {@code
     * JsonNode.toString()}, which refuses to write deeper than Jackson's {@code StreamWriteConstraints} (500), so
     * a deeper file would pass analysis only to fail while storing.
     */
    public static final int HIGHEST_NESTING_DEPTH = 500;

    public JsonLimits {
        if (maxNestingDepth < 1 || maxNestingDepth > HIGHEST_NESTING_DEPTH) {
            throw new IllegalArgumentException(
                    "maxNestingDepth must be 1 to %d, not %d".formatted(HIGHEST_NESTING_DEPTH, maxNestingDepth));
        }
    }

    /**
     * Safe defaults, far above real data yet bounded in the memory one value can take.
     *
     * <ul>
     *   <li>nesting 500: Jackson's default and the most the writers can store (see {@link #HIGHEST_NESTING_DEPTH});
     *       the deepest corpus file (marine_ik) nests 11 levels.
     *   <li>strings of 20,000,000 characters: a string is held whole, by the parser as chars (2 bytes each) and
     *       again as a String, so one value costs at most about 80 MB of heap; a 50 MB string (half the default
     *       upload limit) fails, while the longest corpus string has 4,349.
     *   <li>numbers of 1,000 digits: Jackson's default; turning a number into a BigDecimal costs time that grows
     *       faster than its length, and no real data has numbers this long.
     *   <li>keys of 10,000 characters: a key is held in every key path the analyzer profiles and in the catalog,
     *       while real keys are short and a column name takes at most 63 bytes (hashed) of it.
     *   <li>100,000 keys per object: an object is held whole while it is read, about 10 MB at this size; a
     *       map-like document keyed by 10,000 ids is accepted and stored (gsoc-2018, the largest corpus object,
     *       has 1,264 keys).
     *   <li>50,000,000 records: more than a 100 MB upload (the default upload limit) holds as objects ({@code {}}
     *       and a comma are 3 bytes), so it binds only once that limit is raised; a file is stored in one
     *       transaction, one row per record.
     * </ul>
     */
    public static JsonLimits defaults() {
        return new JsonLimits(500, 20_000_000, 1_000, 10_000, 100_000, 50_000_000L);
    }

    /**
     * For bytes that passed analysis and are read again to be stored: at least as loose as any setting allows, so
     * raising a limit never breaks storing.
     */
    static JsonLimits loosest() {
        return new JsonLimits(
                HIGHEST_NESTING_DEPTH,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Long.MAX_VALUE);
    }

    /** The limits Jackson's parser checks itself; keys per object and records are counted by us. */
    StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .maxNumberLength(maxNumberLength)
                .maxNameLength(maxKeyLength)
                .build();
    }
}
