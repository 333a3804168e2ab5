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
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The outcome the README promises for each kind of odd input: each one defined, none a crash or a retry. */
class InputPolicyTest {

    private final StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());

    @Test
    void duplicateKeysKeepTheLastValueAtEveryLevel() {
        assertThat(stored(utf8("[{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3}]")))
                .singleElement()
                .hasToString("{\"a\":3,\"b\":{\"c\":2}}");
        assertThat(stored(Corpora.open("jsontestsuite/y_object_duplicated_key.json")))
                .singleElement()
                .hasToString("{\"a\":\"c\"}");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndUtf16IsDecoded() {
        String bom = "jsontestsuite/i_structure_UTF-8_BOM_empty_object.json";
        assertThat(analyzer.analyze(Corpora.open(bom), false).shape()).isEqualTo(Shape.DOCUMENT);
        assertThat(stored(Corpora.open(bom))).singleElement().hasToString("{}");
        for (String utf16 : List.of("i_string_UTF-16LE_with_BOM.json", "i_string_utf16BE_no_BOM.json")) {
            assertThat(stored(Corpora.open("jsontestsuite/" + utf16)))
                    .singleElement()
                    .hasToString("\"é\"");
        }
        assertThatThrownBy(
                        () -> analyzer.analyze(Corpora.open("jsontestsuite/n_structure_UTF8_BOM_no_data.json"), false))
                .as("a byte order mark and nothing else")
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage(
                        "Invalid JSON at line 1, column 3 (byte 2): the file is not UTF-8 (Invalid UTF-8 start byte 0xbb). Save the file as UTF-8.");
    }

    @Test
    void invalidUtf8FailsWithItsPosition() {
        assertThatThrownBy(() -> analyzer.analyze(Corpora.open("jsontestsuite/i_string_invalid_utf-8.json"), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage(
                        "Invalid JSON at line 1, column 4 (byte 3): the file is not UTF-8 (Invalid UTF-8 start byte 0xff). Save the file as UTF-8.");
        assertThatThrownBy(() -> analyzer.analyze(Corpora.open("jsontestsuite/i_string_iso_latin_1.json"), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage(
                        "Invalid JSON at line 1, column 5 (byte 4): the file is not UTF-8 (Invalid UTF-8 middle byte 0x22). Save the file as UTF-8.");
        assertThatThrownBy(() ->
                        analyzer.analyze(Corpora.open("jsontestsuite/i_string_UTF8_surrogate_U+D800.json"), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("Illegal surrogate character 0xd800");
        // Jackson decodes an overlong two-byte sequence (C0 AF) as the character it spells.
        assertThat(stored(Corpora.open("jsontestsuite/i_string_overlong_sequence_2_bytes.json")))
                .singleElement()
                .hasToString("\"/\"");
    }

    @Test
    void anEmptyOrBlankFileHoldsNoValue() {
        for (String blank : List.of("", " \n\t")) {
            assertThatThrownBy(() -> analyzer.analyze(utf8(blank), false))
                    .isInstanceOf(InvalidJsonException.class)
                    .hasMessage("The file holds no JSON value, only white space.");
        }
    }

    @Test
    void nullAndTopLevelScalarsAreOneDocumentEach() {
        for (String scalar : List.of("null", "42", "\"text\"", "true", "1.5e9999")) {
            Analysis document = analyzer.analyze(utf8(scalar), false);
            assertThat(document.shape()).as(scalar).isEqualTo(Shape.DOCUMENT);
            assertThat(document.storage()).as(scalar).isEqualTo(Storage.JSONB);
            assertThat(document.records()).as(scalar).isEqualTo(1);
        }
        Analysis lines = analyzer.analyze(utf8("null\n42\n"), true);
        assertThat(lines.shape()).isEqualTo(Shape.JSON_LINES);
        assertThat(lines.records()).as("as JSON Lines, each value is a record").isEqualTo(2);
    }

    private static List<JsonNode> stored(InputStream json) {
        List<JsonNode> records = new ArrayList<>();
        JsonRecords.read(json, false, records::add);
        return records;
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
