// SPDX-License-Identifier: Apache-2.0
import dev.stowage.worker.analysis.AnalyzerSettings;
import dev.stowage.worker.analysis.StructureAnalyzer;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Analyzer throughput (MB/s of JSON, one thread, after warm-up) on files given on the command line: each argument,
 * a file or a directory of {@code .json} / {@code .ndjson} files, is one line of the output. Run by
 * {@code bench/analyzer.sh [seconds] FILE|DIR ...} as a single-file program (java -cp ... bench/AnalyzerFiles.java).
 * A group is held in memory when it fits in a third of the heap, otherwise each file is streamed from disk.
 */
public final class AnalyzerFiles {

    private AnalyzerFiles() {}

    public static void main(String[] args) throws IOException {
        double seconds = Double.parseDouble(args[0]);
        StructureAnalyzer analyzer = new StructureAnalyzer(AnalyzerSettings.defaults());
        System.out.printf(Locale.ROOT, "%-45s %10s %10s %8s%n", "files", "bytes", "MB/s", "decision");
        for (int i = 1; i < args.length; i++) {
            List<Path> files = files(Path.of(args[i]));
            long groupBytes = 0;
            for (Path file : files) {
                groupBytes += Files.size(file);
            }
            boolean inMemory = groupBytes < Runtime.getRuntime().maxMemory() / 3;
            List<byte[]> contents = new ArrayList<>();
            if (inMemory) {
                for (Path file : files) {
                    contents.add(Files.readAllBytes(file));
                }
            }
            measure(analyzer, files, contents, seconds / 2, null); // warm-up
            Map<String, Integer> decisions = new TreeMap<>();
            double[] result = measure(analyzer, files, contents, seconds, decisions);
            String label = files.size() == 1 ? args[i] : args[i] + " (" + files.size() + " files)";
            System.out.printf(
                    Locale.ROOT,
                    "%-45s %10d %10.1f %8s%n",
                    label,
                    groupBytes,
                    result[0] / 1e6 / result[1],
                    String.join(",", decisions.keySet()));
        }
    }

    private static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> listing = Files.list(path)) {
            return listing.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".ndjson"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Analyzes every file of the group, in passes, until {@code seconds} have gone by (at least one pass): bytes
     * analyzed and seconds taken. Records each decision when {@code decisions} is given.
     */
    private static double[] measure(
            StructureAnalyzer analyzer,
            List<Path> files,
            List<byte[]> contents,
            double seconds,
            Map<String, Integer> decisions) {
        long bytes = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        do {
            for (int f = 0; f < files.size(); f++) {
                boolean lines = files.get(f).toString().endsWith(".ndjson");
                String storage;
                if (contents.isEmpty()) {
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(files.get(f)), 1 << 16)) {
                        storage = analyzer.analyze(in, lines).storage().name();
                        bytes += Files.size(files.get(f));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else {
                    storage = analyzer.analyze(new ByteArrayInputStream(contents.get(f)), lines)
                            .storage()
                            .name();
                    bytes += contents.get(f).length;
                }
                if (decisions != null) {
                    decisions.merge(storage, 1, Integer::sum);
                }
            }
        } while (System.nanoTime() < deadline);
        return new double[] {bytes, (System.nanoTime() - start) / 1e9};
    }
}
