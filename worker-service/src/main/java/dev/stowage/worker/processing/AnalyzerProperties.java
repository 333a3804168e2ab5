// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.worker.analysis.AnalyzerSettings;
import dev.stowage.worker.analysis.JsonLimits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code STOWAGE_ANALYZER_*}: the analyzer's thresholds, see {@link AnalyzerSettings} for what each one does, and
 * the limits of what one file may hold ({@code STOWAGE_ANALYZER_MAX_NESTING_DEPTH}, {@code ..._MAX_STRING_LENGTH},
 * {@code ..._MAX_NUMBER_LENGTH}, {@code ..._MAX_KEY_LENGTH}, {@code ..._MAX_KEYS_PER_OBJECT}, {@code
 * ..._MAX_RECORDS_PER_FILE}), see {@link JsonLimits#defaults()} for why each default. A file that breaks a limit
 * fails at once, with the limit and its position in the error.
 */
@Validated
@ConfigurationProperties("stowage.analyzer")
public record AnalyzerProperties(
        @DefaultValue("3") @Min(1) @Max(10) int maxDepth,

        @DefaultValue("0.05") @DecimalMin("0") @DecimalMax("1")
        double minPresence,

        @DefaultValue("0.6") @DecimalMin("0") @DecimalMax("1")
        double minCoverage,

        @DefaultValue("200") @Min(1) @Max(1500) int maxColumns,
        @DefaultValue("2000") @Min(1) int maxPaths,
        @DefaultValue("20") @Min(2) int mapLikeMinKeys,

        @DefaultValue("500") @Min(1) @Max(JsonLimits.HIGHEST_NESTING_DEPTH)
        int maxNestingDepth,

        @DefaultValue("20000000") @Min(1) int maxStringLength,
        @DefaultValue("1000") @Min(1) int maxNumberLength,
        @DefaultValue("10000") @Min(1) int maxKeyLength,
        @DefaultValue("100000") @Min(1) int maxKeysPerObject,
        @DefaultValue("50000000") @Min(1) long maxRecordsPerFile) {

    AnalyzerSettings settings() {
        return new AnalyzerSettings(
                maxDepth,
                minPresence,
                minCoverage,
                maxColumns,
                maxPaths,
                mapLikeMinKeys,
                new JsonLimits(
                        maxNestingDepth,
                        maxStringLength,
                        maxNumberLength,
                        maxKeyLength,
                        maxKeysPerObject,
                        maxRecordsPerFile));
    }
}
