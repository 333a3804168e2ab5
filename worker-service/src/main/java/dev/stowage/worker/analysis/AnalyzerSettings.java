// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

/**
 * The analyzer's thresholds and limits. Defaults come from the corpora: every flat vega table has coverage 1.0 and
 * at most 15 key paths; nested record collections such as github_events keep most values within 3 levels.
 *
 * @param maxDepth nested objects are flattened into {@code a__b__c} columns down to this many levels
 * @param minPresence a key path becomes a column only when it holds a value in at least this share of records;
 *     rarer keys go to {@code _extra}
 * @param minCoverage a record collection becomes a SQL table only when its typed columns hold at least this share
 *     of all leaf values
 * @param maxColumns the column budget of one table, far below PostgreSQL's 1,600
 * @param maxPaths distinct key paths profiled before a file is declared too irregular for a table
 * @param mapLikeMinKeys an object with at least this many keys whose values look alike (or whose keys are ids,
 *     numbers, dates) is a map, not a record
 * @param limits what one file may hold (nesting depth, string, number and key length, keys per object, records),
 *     checked while it streams; a file that breaks one fails for good, see {@link JsonLimits} for the defaults
 */
public record AnalyzerSettings(
        int maxDepth,
        double minPresence,
        double minCoverage,
        int maxColumns,
        int maxPaths,
        int mapLikeMinKeys,
        JsonLimits limits) {

    public static AnalyzerSettings defaults() {
        return new AnalyzerSettings(3, 0.05, 0.6, 200, 2000, 20, JsonLimits.defaults());
    }
}
