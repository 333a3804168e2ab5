// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.FileReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The report as the worker stores it and the API shows it: its JSON is a contract with users and the gateway, so
 * the names, the values and what is left out are pinned here.
 */
class AnalysisReportTest {

    private final StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());

    @Test
    void aTableReportHasItsColumnsAndPathsAndLeavesOutWhatDoesNotApply() {
        Analysis lines = analyze("{\"a\":1}\n{\"a\":2,\"b\":[]}\n", true);

        assertThat(json(lines.report(lines.columns())))
                .isEqualTo(
                        "{\"shape\":\"JSON_LINES\",\"records\":2,\"perRecord\":true,\"depth\":2,\"decision\":\"SQL\","
                                + "\"coverage\":0.6667,\"reasons\":[\"2 records, 2 key paths; 1 typed columns hold 66.7% of the 3"
                                + " values: stored as a typed table; the other values (rare keys, other types, arrays, deeper"
                                + " objects) go to _extra.\"],\"columns\":[{\"name\":\"a\",\"path\":[\"a\"],\"type\":\"bigint\","
                                + "\"values\":2}],\"paths\":[{\"path\":\"a\",\"presence\":1.0,\"types\":{\"integer\":2}},"
                                + "{\"path\":\"b\",\"presence\":0.5,\"types\":{\"array\":1},\"averageArrayLength\":0.0}]}");
    }

    @Test
    void aDocumentReportHasNoPathsAndAMapLikeObjectWhereThereIsOne() {
        String map = IntStream.range(0, 20)
                .mapToObj(i -> "\"%d\": {\"name\": \"n%d\"}".formatted(1000 + i, i))
                .collect(Collectors.joining(", ", "{\"plugins\": {", "}}"));

        JsonNode report = JsonRecords.MAPPER.readTree(json(analyze(map, false).report(java.util.List.of())));

        assertThat(report.propertyNames())
                .containsExactly(
                        "shape",
                        "records",
                        "perRecord",
                        "depth",
                        "decision",
                        "coverage",
                        "reasons",
                        "columns",
                        "mapLike");
        assertThat(report.get("mapLike").toString()).isEqualTo("{\"path\":\"$.plugins\",\"keys\":20}");
        assertThat(report.get("coverage").toString()).isEqualTo("0.0");
        assertThat(report.get("columns").isEmpty()).isTrue();
    }

    @Test
    void theGatewayReadsBackWhatTheWorkerWrote() {
        Analysis lines = analyze("{\"a\":1,\"t\":\"2024-01-02\"}\n{\"a\":2,\"b\":[1,2]}\n", true);
        FileReport written = lines.report(lines.columns());

        FileReport read = JsonRecords.MAPPER.readValue(json(written), FileReport.class);

        assertThat(read).isEqualTo(written);
    }

    private Analysis analyze(String json, boolean jsonLines) {
        return analyzer.analyze(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), jsonLines);
    }

    private static String json(FileReport report) {
        return JsonRecords.MAPPER.writeValueAsString(report);
    }
}
