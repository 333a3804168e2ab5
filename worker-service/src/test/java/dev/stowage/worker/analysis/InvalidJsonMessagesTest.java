// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a user reads when a file is not JSON: where, and what is wrong, in words, without the parser's insides. */
class InvalidJsonMessagesTest {

    private final StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());

    @Test
    void aTruncatedNdjsonFileSaysWhereItEnds() {
        assertThatThrownBy(() -> analyze("{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageStartingWith("Invalid JSON at line 2")
                .hasMessageContaining("the file ends inside an object")
                .hasMessageNotContaining("Source")
                .hasMessageNotContaining("REDACTED")
                .hasMessageNotContaining("#UNKNOWN");
    }

    @Test
    void aLatin1ByteInAKeySaysTheFileIsNotUtf8() {
        byte[] latin1 = {'{', '"', 'c', 'a', 'f', (byte) 0xE9, '"', ':', '1', '}'};
        assertThatThrownBy(() -> analyze(latin1, false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage("Invalid JSON at byte 5: the file is not UTF-8: byte 0xE9 there starts no UTF-8"
                        + " character. Save the file as UTF-8.")
                .hasMessageNotContaining("end-of-input");
    }

    @Test
    void anUnclosedArraySaysSoWithoutTheParsersInsides() {
        assertThatThrownBy(() -> analyze("[1,2".getBytes(StandardCharsets.UTF_8), false))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessage("Invalid JSON at line 1, column 5 (byte 4): the file ends inside an array: its closing ']'"
                        + " is missing (is the file cut short?)");
    }

    @Test
    void aValidFileWithAccentsIsNotTakenForLatin1() {
        analyze("[{\"café\":\"crème\"}]".getBytes(StandardCharsets.UTF_8), false);
    }

    private void analyze(byte[] bytes, boolean jsonLines) {
        analyzer.analyze(new ByteArrayInputStream(bytes), jsonLines);
    }
}
