// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.Storage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB record file is analyzed in a separate JVM whose heap is capped at 256 MB: the analyzer streams, so its
 * memory follows the file's distinct key paths, not its size.
 */
class LargeFileAnalysisTest {

    private static final long SIZE = 200L * 1024 * 1024;

    @Test
    void twoHundredMegabytesFitInAQuarterGigabyteHeap(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("large.json");
        long records = generate(file);
        assertThat(Files.size(file)).isGreaterThanOrEqualTo(SIZE);

        Process analysis = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AnalyzeFile.class.getName(),
                        file.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(analysis.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(analysis.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(analysis.exitValue()).as(output).isZero();
        assertThat(output).contains("records=" + records, "storage=" + Storage.SQL, "columns=6");
    }

    /** Writes flat records of six keys until the file reaches 200 MB; returns how many. */
    private static long generate(Path file) throws IOException {
        long records = 0;
        long written = 1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write('[');
            while (written < SIZE) {
                byte[] record = ("%s{\"id\":%d,\"name\":\"record number %d\",\"score\":%d.5,\"ok\":%b,"
                                + "\"day\":\"2024-01-%02d\",\"note\":\"padding padding padding padding\"}")
                        .formatted(
                                records == 0 ? "" : ",",
                                records,
                                records,
                                records % 1000,
                                records % 2 == 0,
                                1 + records % 28)
                        .getBytes(StandardCharsets.UTF_8);
                out.write(record);
                written += record.length;
                records++;
            }
            out.write(']');
        }
        return records;
    }

    /** The child process: analyzes the file from a stream and prints what it found. */
    public static final class AnalyzeFile {
        public static void main(String[] args) throws IOException {
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                Analysis analysis = new StructureAnalyzer(AnalyzerSettings.defaults()).analyze(in, false);
                System.out.printf(
                        "records=%d storage=%s columns=%d%n",
                        analysis.records(),
                        analysis.storage(),
                        analysis.columns().size());
            }
        }
    }
}
