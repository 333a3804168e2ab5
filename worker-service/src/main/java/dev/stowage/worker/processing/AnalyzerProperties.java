package dev.stowage.worker.processing;

import dev.stowage.worker.analysis.AnalyzerSettings;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code STOWAGE_ANALYZER_*}: the analyzer's thresholds; see {@link AnalyzerSettings} for what each one does. */
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
        @DefaultValue("20") @Min(2) int mapLikeMinKeys) {

    AnalyzerSettings settings() {
        return new AnalyzerSettings(maxDepth, minPresence, minCoverage, maxColumns, maxPaths, mapLikeMinKeys);
    }
}
