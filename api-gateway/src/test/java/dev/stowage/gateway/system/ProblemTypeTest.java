// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry of problem types is well-formed, and docs/errors.md documents exactly its types and statuses. */
class ProblemTypeTest {

    /** A row of the table: {@code | `slug` | 400 | …}. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

    @Test
    void everyTypeHasADistinctSlugATitleAndAnExampleWithinTheLimit() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::slug))
                .doesNotHaveDuplicates()
                .allMatch(slug -> slug.matches("[a-z]+(-[a-z]+)*"));
        for (ProblemType type : ProblemType.values()) {
            assertThat(type.title()).as(type.slug()).isNotBlank();
            assertThat(type.example()).as(type.slug()).isNotBlank().hasSizeLessThanOrEqualTo(ProblemAdvice.MAX_DETAIL);
            assertThat(type.type().toString()).isEqualTo("https://stowage.dev/problems/" + type.slug());
            assertThat(ProblemType.ofSlug(type.slug())).contains(type);
        }
    }

    @Test
    void errorsMdListsEveryTypeWithItsStatusAndNoOther() throws IOException {
        Map<String, Integer> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(errorsMd(), StandardCharsets.UTF_8));
        while (row.find()) {
            documented.put(row.group(1), Integer.parseInt(row.group(2)));
        }
        Map<String, Integer> registered = Arrays.stream(ProblemType.values())
                .collect(Collectors.toMap(
                        ProblemType::slug, type -> type.status().value(), (a, b) -> a, LinkedHashMap::new));
        assertThat(documented)
                .as("docs/errors.md's table against ProblemType: add, remove or fix the rows")
                .containsExactlyInAnyOrderEntriesOf(registered);
    }

    private static Path errorsMd() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs").resolve("errors.md"))) {
                return dir.resolve("docs").resolve("errors.md");
            }
        }
        throw new IllegalStateException("No docs/errors.md above " + Path.of("").toAbsolutePath());
    }
}
