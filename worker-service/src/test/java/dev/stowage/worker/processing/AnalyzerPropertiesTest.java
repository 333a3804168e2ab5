// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.worker.analysis.AnalyzerSettings;
import dev.stowage.worker.analysis.JsonLimits;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The analyzer's environment variables bind to its settings; unset, they are the analyzer's own defaults. */
class AnalyzerPropertiesTest {

    @Test
    void unsetTheyAreTheAnalyzersDefaults() {
        assertThat(bind(Map.of()).settings()).isEqualTo(AnalyzerSettings.defaults());
    }

    @Test
    void documentedEnvironmentVariablesSetTheLimits() {
        AnalyzerProperties properties = bind(Map.of(
                "STOWAGE_ANALYZER_MAX_NESTING_DEPTH", "64",
                "STOWAGE_ANALYZER_MAX_STRING_LENGTH", "1000000",
                "STOWAGE_ANALYZER_MAX_NUMBER_LENGTH", "50",
                "STOWAGE_ANALYZER_MAX_KEY_LENGTH", "200",
                "STOWAGE_ANALYZER_MAX_KEYS_PER_OBJECT", "5000",
                "STOWAGE_ANALYZER_MAX_RECORDS_PER_FILE", "3000000000"));

        assertThat(properties.settings().limits())
                .isEqualTo(new JsonLimits(64, 1_000_000, 50, 200, 5_000, 3_000_000_000L));
    }

    @Test
    void limitsOutsideTheirRangeAreRefused() {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

        assertThat(validator.validate(bind(Map.of())))
                .as("the defaults are valid")
                .isEmpty();
        assertThat(validator.validate(bind(Map.of(
                        "STOWAGE_ANALYZER_MAX_NESTING_DEPTH", "501", "STOWAGE_ANALYZER_MAX_KEYS_PER_OBJECT", "0"))))
                .extracting(violation -> violation.getPropertyPath().toString())
                .containsExactlyInAnyOrder("maxNestingDepth", "maxKeysPerObject");
    }

    private static AnalyzerProperties bind(Map<String, Object> environment) {
        return new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource("env", environment)))
                .bindOrCreate("stowage.analyzer", AnalyzerProperties.class);
    }
}
