package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The analyzer is a pure library: the JDK and Jackson only, no Spring, no JDBC (see STYLE.md). */
class AnalysisPurityTest {

    @Test
    void analysisSourcesImportNeitherSpringNorJdbc() throws IOException {
        Path sources = Path.of("src/main/java/dev/stowage/worker/analysis");
        List<Path> files;
        try (Stream<Path> listing = Files.list(sources)) {
            files = listing.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path file : files) {
            List<String> imports = Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith("import "))
                    .toList();
            assertThat(imports)
                    .as(file.getFileName().toString())
                    .noneMatch(line -> line.contains("org.springframework") || line.contains("java.sql"));
        }
    }
}
