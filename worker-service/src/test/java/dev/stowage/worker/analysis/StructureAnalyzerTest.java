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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StructureAnalyzerTest {

    private final StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());

    @Test
    void carsIsATypedTableWithMixedNumbersWidened() {
        Analysis cars = analyzer.analyze(Corpora.open("vega/cars.json"), false);

        assertThat(cars.shape()).isEqualTo(Shape.ARRAY);
        assertThat(cars.storage()).isEqualTo(Storage.SQL);
        assertThat(cars.records()).isEqualTo(406);
        Map<String, SqlType> types = cars.columns().stream().collect(Collectors.toMap(Column::name, Column::type));
        assertThat(types)
                .hasSize(9)
                .containsEntry("name", SqlType.TEXT)
                .containsEntry("cylinders", SqlType.BIGINT)
                .containsEntry("miles_per_gallon", SqlType.NUMERIC) // 18 and 31.5 in one column
                .containsEntry("weight_in_lbs", SqlType.BIGINT)
                .containsEntry("year", SqlType.DATE); // "1970-01-01" comes back character for character
        assertThat(cars.coverage()).isEqualTo(1.0);
    }

    @Test
    void recordsProfiledFromTheirTokensCountAsTheirTreesWould() {
        // The analysis reads records' fields from the parser's tokens; Jackson's trees are the reference: the same
        // records written back from trees (a repeated key keeps its last value) must profile the same.
        String repeated = """
                [{"a": 1, "b": {"c": true}, "s": "x"},
                 {"a": 1, "b": {"c": true}, "a": "one", "b": 5, "s": "2024-01-01", "s": null},
                 {"b": 6, "b": {"c": false, "c": {"d": [1, 2]}}, "a": 12345678901234567890, "a": 1.5e3, "e": {}}]
                """;
        List<byte[]> files = new java.util.ArrayList<>(List.of(repeated.getBytes(StandardCharsets.UTF_8)));
        for (String path : List.of("vega/cars.json", "vega/movies.json", "vega/flights-2k.json", "vega/barley.json")) {
            files.add(Corpora.bytes(path));
        }
        for (byte[] file : files) {
            StringBuilder trees = new StringBuilder("[");
            JsonRecords.read(
                    new ByteArrayInputStream(file),
                    false,
                    record -> trees.append(trees.length() > 1 ? "," : "").append(record));
            byte[] rewritten = trees.append("]").toString().getBytes(StandardCharsets.UTF_8);

            Analysis fromTokens = analyzer.analyze(new ByteArrayInputStream(file), false);
            Analysis fromTrees = analyzer.analyze(new ByteArrayInputStream(rewritten), false);
            assertThat(fromTokens.paths()).isEqualTo(fromTrees.paths());
            assertThat(fromTokens.mapLike()).isEqualTo(fromTrees.mapLike());
            assertThat(fromTokens.columns()).isEqualTo(fromTrees.columns());
            assertThat(fromTokens.depth()).isEqualTo(fromTrees.depth());
            assertThat(fromTokens.storage()).isEqualTo(fromTrees.storage());
        }
        assertThat(analyzer.analyze(utf8(repeated), false).depth()).isEqualTo(4);
    }

    @Test
    void moviesKeepsATitleThatIsANumberWithoutMistypingTheColumn() {
        Analysis movies = analyzer.analyze(Corpora.open("vega/movies.json"), false);

        assertThat(movies.storage()).isEqualTo(Storage.SQL);
        assertThat(movies.records()).isEqualTo(3201);
        // Titles are strings but for 9 numbers (1776, 2012, …): the column is text, numbers go to their rows' _extra.
        assertThat(movies.columns())
                .filteredOn(c -> c.path().equals(List.of("Title")))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.type()).isEqualTo(SqlType.TEXT);
                    assertThat(c.values()).isEqualTo(3192); // 3191 titles and 1 null; 9 titles are numbers
                });
        assertThat(movies.coverage()).isLessThan(1.0).isGreaterThan(0.99);
    }

    @Test
    void geoJsonIsADocument() {
        // A FeatureCollection: one object whose records (the features) are a member, not the file's top level.
        Analysis earthquakes = analyzer.analyze(Corpora.open("vega/earthquakes.json"), false);

        assertThat(earthquakes.shape()).isEqualTo(Shape.DOCUMENT);
        assertThat(earthquakes.storage()).isEqualTo(Storage.JSONB);
        assertThat(earthquakes.perRecord()).isFalse();
        assertThat(earthquakes.columns()).isEmpty();
        assertThat(earthquakes.mapLike()).isNull();
        assertThat(earthquakes.reasons())
                .containsExactly(
                        "The file is a single JSON document, not a collection of records; stored whole as JSONB.");
    }

    @Test
    void jsonLinesOfFlatObjectsIsATable() {
        Analysis lines = analyzer.analyze(utf8("{\"a\":1,\"b\":true}\n{\"a\":2,\"c\":\"x\"}\n"), true);

        assertThat(lines.shape()).isEqualTo(Shape.JSON_LINES);
        assertThat(lines.storage()).isEqualTo(Storage.SQL);
        assertThat(lines.records()).isEqualTo(2);
        assertThat(lines.columns()).extracting(Column::name).containsExactly("a", "b", "c");
    }

    @Test
    void concatenatedObjectsWithoutTheNdjsonTypeAreStillJsonLines() {
        assertThat(analyzer.analyze(utf8("{\"a\":1}\n{\"a\":2}"), false).shape())
                .isEqualTo(Shape.JSON_LINES);
    }

    @Test
    void nestedObjectsAreFlattenedAndArraysGoToExtra() {
        Analysis nested = analyzer.analyze(
                utf8(
                        "[{\"a\":{\"b\":1,\"c\":{\"d\":\"x\"}},\"id\":1},{\"a\":{\"b\":2,\"c\":{\"d\":\"y\"}},\"id\":2,\"tags\":[1]}]"),
                false);
        assertThat(nested.storage()).isEqualTo(Storage.SQL);
        assertThat(nested.columns()).extracting(Column::name).containsExactly("a__b", "a__c__d", "id");
        assertThat(nested.coverage()).isEqualTo(0.8571); // 6 of 7 values; the array goes to _extra
    }

    @Test
    void scalarArraysAndEmptyCollectionsAreDocuments() {
        Analysis scalars = analyzer.analyze(utf8("[1,2,3]"), false);
        assertThat(scalars.storage()).isEqualTo(Storage.JSONB);
        assertThat(scalars.perRecord()).isFalse();

        assertThat(analyzer.analyze(utf8("[]"), false).storage()).isEqualTo(Storage.JSONB);
        assertThat(analyzer.analyze(utf8("null"), false).storage()).isEqualTo(Storage.JSONB);
    }

    @Test
    void duplicateKeysKeepTheLastValue() {
        // Each record repeats "a": first a string, last a number. Were the first value kept, "a" would be a text
        // column; the last value counts, as in a tree and in PostgreSQL's jsonb. The first record is profiled from
        // its tree, the others from their tokens: both must agree.
        Analysis repeated = analyzer.analyze(
                utf8("[{\"a\":\"one\",\"b\":true,\"a\":1},"
                        + "{\"a\":\"two\",\"a\":2,\"b\":false},"
                        + "{\"b\":true,\"a\":\"three\",\"a\":3}]"),
                false);

        assertThat(repeated.storage()).isEqualTo(Storage.SQL);
        assertThat(repeated.columns())
                .containsExactly(
                        new Column(List.of("a"), "a", SqlType.BIGINT, 3),
                        new Column(List.of("b"), "b", SqlType.BOOLEAN, 3));
        assertThat(repeated.paths())
                .filteredOn(path -> path.path().equals("a"))
                .singleElement()
                .satisfies(a -> assertThat(a.types()).containsExactly(Map.entry("integer", 3L)));
        assertThat(repeated.coverage()).isEqualTo(1.0);
    }

    @Test
    void timestampsDatesAndUuidsAreTypedOnlyWhenTheyComeBackIdentical() {
        Analysis typed = analyzer.analyze(
                utf8(
                        "[{\"t\":\"2024-01-02T03:04:05Z\",\"d\":\"2024-01-02\",\"u\":\"123e4567-e89b-12d3-a456-426614174000\","
                                + "\"t2\":\"2024-01-02T03:04:05.000Z\"}]"),
                false);
        assertThat(typed.columns())
                .extracting(Column::type)
                .containsExactly(SqlType.TIMESTAMPTZ, SqlType.DATE, SqlType.UUID, SqlType.TEXT);
    }

    @Test
    void invalidJsonNamesWhereItBreaks() {
        assertThatThrownBy(() -> analyzer.analyze(Corpora.open("jsontestsuite/n_object_missing_colon.json"), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageStartingWith("Invalid JSON at line 1, column");
        assertThatThrownBy(() -> analyzer.analyze(Corpora.open("jsontestsuite/n_structure_unclosed_array.json"), false))
                .isInstanceOf(InvalidJsonException.class);
        assertThatThrownBy(() -> analyzer.analyze(utf8("[{\"a\":1}] trailing"), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> analyzer.analyze(utf8("  \n "), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("no JSON value");
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
