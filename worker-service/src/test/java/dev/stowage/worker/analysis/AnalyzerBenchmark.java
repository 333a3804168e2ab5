// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.testing.Corpora;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Analyzer throughput on the corpus files, in MB/s of JSON (single thread, after warm-up). Not a test: run it with
 * {@code bench/analyzer.sh}, which prints one line per file and the total.
 */
public final class AnalyzerBenchmark {

    private AnalyzerBenchmark() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());
        List<String> files = new ArrayList<>(Corpora.list("vega"));
        files.addAll(Corpora.list("simdjson"));
        long totalBytes = 0;
        double totalSeconds = 0;
        System.out.printf(Locale.ROOT, "%-45s %10s %10s %8s%n", "file", "bytes", "MB/s", "decision");
        for (String file : files) {
            byte[] json = Corpora.bytes(file);
            boolean lines = file.endsWith(".ndjson");
            measure(analyzer, json, lines, seconds / 2); // warm-up
            double[] result = measure(analyzer, json, lines, seconds);
            long bytes = (long) result[0];
            totalBytes += bytes;
            totalSeconds += result[1];
            System.out.printf(
                    Locale.ROOT,
                    "%-45s %10d %10.1f %8s%n",
                    file,
                    json.length,
                    bytes / 1e6 / result[1],
                    analyzer.analyze(new ByteArrayInputStream(json), lines).storage());
        }
        System.out.printf(
                Locale.ROOT, "%-45s %10s %10.1f%n", "all files (bytes-weighted)", "", totalBytes / 1e6 / totalSeconds);
    }

    /** Analyzes the file repeatedly for about {@code seconds}: bytes analyzed and seconds taken. */
    private static double[] measure(StructureAnalyzer analyzer, byte[] json, boolean lines, double seconds) {
        long bytes = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        do {
            analyzer.analyze(new ByteArrayInputStream(json), lines);
            bytes += json.length;
        } while (System.nanoTime() < deadline);
        return new double[] {bytes, (System.nanoTime() - start) / 1e9};
    }
}
