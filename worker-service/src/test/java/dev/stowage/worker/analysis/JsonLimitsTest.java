// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stowage.model.Shape;
import dev.stowage.model.Storage;
import dev.stowage.testing.Corpora;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each limit with small settings: a file just under it is analyzed, one just over it fails naming the limit, the
 * setting that raises it and the position. Then the defaults against generated attacks and JSONTestSuite's deep
 * nesting.
 */
class JsonLimitsTest {

    /** Nesting 3, strings 5, numbers 4 digits, keys 3 characters, 3 keys per object, 3 records. */
    private final StructureAnalyzer small = analyzer(new JsonLimits(3, 5, 4, 3, 3, 3));

    private final StructureAnalyzer defaults = new StructureAnalyzer(AnalyzerSettings.defaults());

    @Test
    void nestingDepthCountsFromTheTopOfTheFile() {
        assertThat(small.analyze(utf8("[[[1]]]"), false).records()).isEqualTo(1);

        assertThatThrownBy(() -> small.analyze(utf8("[[[1]],\n [[[1]]]]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 4 (byte 11): nesting is deeper than 3 levels"
                        + " (limit stowage.analyzer.max-nesting-depth, env STOWAGE_ANALYZER_MAX_NESTING_DEPTH)");
    }

    @Test
    void stringLength() {
        assertThat(small.analyze(utf8("[\"abcde\", \"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"]"), false)
                        .records())
                .isEqualTo(2);

        assertThatThrownBy(() -> small.analyze(utf8("[\"abcde\",\n  \"abcdef\"]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 3 (byte 12): a string is longer than 5 characters"
                        + " (limit stowage.analyzer.max-string-length, env STOWAGE_ANALYZER_MAX_STRING_LENGTH)");
    }

    @Test
    void numberLengthCountsDigits() {
        assertThat(small.analyze(utf8("[-1234, 12.34, 1e100]"), false).records())
                .isEqualTo(3);

        assertThatThrownBy(() -> small.analyze(utf8("[1234,\n 12345]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 2 (byte 8): a number has more than 4 digits"
                        + " (limit stowage.analyzer.max-number-length, env STOWAGE_ANALYZER_MAX_NUMBER_LENGTH)");
        assertThatThrownBy(() -> small.analyze(utf8("[12.345]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessageContaining("a number has more than 4 digits");
    }

    @Test
    void keyLengthNamesTheObjectThatHoldsTheKey() {
        assertThat(small.analyze(utf8("[{\"abc\":1}]"), false).storage()).isEqualTo(Storage.SQL);

        assertThatThrownBy(() -> small.analyze(utf8("[{\"abc\":1},\n {\"ab\":1, \"abcd\":2}]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 2: an object has a key longer than 3 characters"
                        + " (limit stowage.analyzer.max-key-length, env STOWAGE_ANALYZER_MAX_KEY_LENGTH)");
    }

    @Test
    void keysPerObjectCountEachObjectOnItsOwn() {
        Analysis nested = small.analyze(utf8("[{\"a\":1,\"b\":{\"x\":1,\"y\":2,\"z\":3},\"c\":3}]"), false);
        assertThat(nested.storage()).isEqualTo(Storage.SQL);

        assertThatThrownBy(() -> small.analyze(utf8("{\"a\":1,\"b\":2,\"c\":3,\n\"d\":4}"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 1 (byte 20): an object has more than 3 keys"
                        + " (limit stowage.analyzer.max-keys-per-object, env STOWAGE_ANALYZER_MAX_KEYS_PER_OBJECT)");
        assertThatThrownBy(() -> small.analyze(utf8("{\"a\":1,\"a\":2,\"a\":3,\"a\":4}"), false))
                .as("a duplicated key counts each time it is written")
                .isInstanceOf(JsonLimitException.class);
        // UTF-16 is read by another of Jackson's parsers; the count must hold there too.
        assertThatThrownBy(() -> small.analyze(
                        new ByteArrayInputStream(
                                "[{\"a\":1,\"b\":2,\"c\":3,\"d\":4}]".getBytes(StandardCharsets.UTF_16)),
                        false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessageStartingWith("Limit exceeded at line 1, column 21: an object has more than 3 keys");
    }

    @Test
    void recordsPerFileInArraysAndJsonLines() {
        assertThat(small.analyze(utf8("[{\"a\":1},{\"a\":2},{\"a\":3}]"), false).records())
                .isEqualTo(3);
        assertThat(small.analyze(utf8("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"), true)
                        .records())
                .isEqualTo(3);

        assertThatThrownBy(() -> small.analyze(utf8("[{\"a\":1},{\"a\":2},{\"a\":3},\n{\"a\":4}]"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 2, column 1 (byte 26): the file has more than 3 records"
                        + " (limit stowage.analyzer.max-records-per-file, env STOWAGE_ANALYZER_MAX_RECORDS_PER_FILE)");
        assertThatThrownBy(() -> small.analyze(utf8("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n"), true))
                .isInstanceOf(JsonLimitException.class)
                .hasMessageStartingWith(
                        "Limit exceeded at line 4, column 1 (byte 24): the file has more than 3 records");
    }

    @Test
    void aTenThousandKeyObjectIsAnalyzedWithTheDefaults() {
        StringBuilder object = new StringBuilder("[{");
        for (int i = 0; i < 10_000; i++) {
            object.append(i == 0 ? "" : ",")
                    .append("\"key")
                    .append(i)
                    .append("\":")
                    .append(i);
        }
        Analysis analysis = defaults.analyze(utf8(object.append("}]").toString()), false);

        assertThat(analysis.records()).isEqualTo(1);
        assertThat(analysis.storage())
                .as("more key paths than a table may profile: one JSONB document per record")
                .isEqualTo(Storage.JSONB);
    }

    @Test
    void aFiftyMegabyteStringFailsWithTheDefaults() {
        byte[] json = new byte[50 * 1024 * 1024 + 4];
        Arrays.fill(json, (byte) 'a');
        json[0] = '[';
        json[1] = '"';
        json[json.length - 2] = '"';
        json[json.length - 1] = ']';

        assertThatThrownBy(() -> defaults.analyze(new ByteArrayInputStream(json), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 1, column 2 (byte 1): a string is longer than 20,000,000 characters"
                        + " (limit stowage.analyzer.max-string-length, env STOWAGE_ANALYZER_MAX_STRING_LENGTH)");
    }

    @Test
    void jsonTestSuitesDeepNestingGetsItsDefinedOutcome() {
        Analysis nested500 = defaults.analyze(Corpora.open("jsontestsuite/i_structure_500_nested_arrays.json"), false);
        assertThat(nested500.shape()).isEqualTo(Shape.ARRAY);
        assertThat(nested500.storage()).isEqualTo(Storage.JSONB);
        assertThat(JsonRecords.readWhole(Corpora.open("jsontestsuite/i_structure_500_nested_arrays.json"))
                        .toString())
                .as("the writers can turn it into jsonb text")
                .isEqualTo("[".repeat(500) + "]".repeat(500));

        assertThatThrownBy(() ->
                        defaults.analyze(Corpora.open("jsontestsuite/n_structure_100000_opening_arrays.json"), false))
                .isInstanceOf(JsonLimitException.class)
                .hasMessage("Limit exceeded at line 1, column 501 (byte 500): nesting is deeper than 500 levels"
                        + " (limit stowage.analyzer.max-nesting-depth, env STOWAGE_ANALYZER_MAX_NESTING_DEPTH)");
    }

    @Test
    void raisedLimitsHoldWhenTheFileIsReadAgainToBeStored() {
        // Both beyond Jackson's own defaults (names of 50,000 characters, numbers of 1,000 digits).
        String key = "k".repeat(60_000);
        String number = "9".repeat(2_000);
        String json = "[{\"%s\":%s}]".formatted(key, number);
        JsonLimits raised = new JsonLimits(500, 20_000_000, 5_000, 100_000, 100_000, 1_000);

        assertThat(analyzer(raised).analyze(utf8(json), false).records()).isEqualTo(1);
        List<JsonNode> stored = new ArrayList<>();
        JsonRecords.read(utf8(json), false, stored::add);
        assertThat(stored)
                .singleElement()
                .satisfies(record ->
                        assertThat(record.get(key).bigIntegerValue().toString()).isEqualTo(number));
        assertThat(JsonRecords.readWhole(utf8(json)).get(0).has(key)).isTrue();
    }

    @Test
    void nestingBeyondWhatTheWritersStoreIsRefused() {
        assertThatThrownBy(() -> new JsonLimits(501, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 500");
    }

    private static StructureAnalyzer analyzer(JsonLimits limits) {
        AnalyzerSettings d = AnalyzerSettings.defaults();
        return new StructureAnalyzer(new AnalyzerSettings(
                d.maxDepth(),
                d.minPresence(),
                d.minCoverage(),
                d.maxColumns(),
                d.maxPaths(),
                d.mapLikeMinKeys(),
                limits));
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
