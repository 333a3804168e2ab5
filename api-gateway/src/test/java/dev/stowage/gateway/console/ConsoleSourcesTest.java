// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's sources keep the rules its safety rests on: data is written as text (no HTML parsing of strings
 * anywhere), and the pages have no inline script or style, which the Content-Security-Policy would block anyway.
 */
class ConsoleSourcesTest {

    static final Path STATIC = Path.of("src", "main", "resources", "static");

    @Test
    void noScriptParsesStringsAsMarkup() throws IOException {
        Pattern markup = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\("
                + "|new Function|createContextualFragment|DOMParser");
        for (Path script : files(".js")) {
            assertThat(markup.matcher(Files.readString(script)).find())
                    .as(script + " must build the page with dom.js, never from markup")
                    .isFalse();
        }
    }

    @Test
    void thePagesHaveNoInlineScriptOrStyle() throws IOException {
        Pattern inline =
                Pattern.compile("<script(?![^>]*\\ssrc=)|<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE);
        List<Path> pages = files(".html");
        assertThat(pages).isNotEmpty();
        for (Path page : pages) {
            assertThat(inline.matcher(Files.readString(page)).find())
                    .as(page + " has an inline script, style or handler")
                    .isFalse();
        }
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> all = Files.walk(STATIC)) {
            return all.filter(path -> path.toString().endsWith(suffix)).toList();
        }
    }
}
