// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCollectorTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryGivesItsJsonFilesRecursivelyInNameOrderAndAFileIsTakenAsGiven() throws Exception {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Path b = Files.writeString(dir.resolve("b.json"), "[]");
        Path a = Files.writeString(dir.resolve("sub/a.ndjson"), "");
        Path c = Files.writeString(dir.resolve("sub/deeper/c.jsonl"), "");
        Files.writeString(dir.resolve("notes.txt"), "not json");
        Path named = Files.writeString(dir.resolve("data.txt"), "[]");

        assertThat(FileCollector.collect(List.of(dir.toString()))).containsExactly(b, a, c);
        assertThat(FileCollector.collect(List.of(named.toString()))).containsExactly(named);
    }

    @Test
    void aGlobTheShellLeftIsMatchedFromItsFixedStart() throws Exception {
        Files.createDirectories(dir.resolve("x/y"));
        Path top = Files.writeString(dir.resolve("x/top.json"), "[]");
        Path deep = Files.writeString(dir.resolve("x/y/deep.json"), "[]");
        Files.writeString(dir.resolve("x/y/other.ndjson"), "");

        assertThat(FileCollector.collect(List.of(dir + "/x/*.json"))).containsExactly(top);
        assertThat(FileCollector.collect(List.of(dir + "/x/**.json"))).containsExactly(top, deep);
    }

    @Test
    void aPathThatIsNotThereIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> FileCollector.collect(List.of(dir + "/missing.json")))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("missing.json");
        assertThatThrownBy(() -> FileCollector.collect(List.of(dir + "/*.nothing")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("No file matches");
    }
}
