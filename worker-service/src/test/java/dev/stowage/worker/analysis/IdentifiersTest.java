// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stowage.model.DatasetTables;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void makesSnakeCaseNames() {
        assertThat(Identifiers.column(List.of("Miles_per_Gallon"), new HashSet<>()))
                .isEqualTo("miles_per_gallon");
        assertThat(Identifiers.column(List.of("IMDB Rating"), new HashSet<>())).isEqualTo("imdb_rating");
        assertThat(Identifiers.column(List.of("createdAt"), new HashSet<>())).isEqualTo("created_at");
        assertThat(Identifiers.column(List.of("Rotten Tomatoes (%)"), new HashSet<>()))
                .isEqualTo("rotten_tomatoes");
        assertThat(Identifiers.column(List.of("2020"), new HashSet<>())).isEqualTo("c_2020");
        assertThat(Identifiers.table("flights-2k.json")).isEqualTo("flights_2k");
        assertThat(Identifiers.table("2020 sales.ndjson")).isEqualTo("t_2020_sales");
    }

    @Test
    void snakeCaseAgreesWithThreeRegularExpressions() {
        Pattern hump = Pattern.compile("([a-z0-9])([A-Z])");
        Pattern separators = Pattern.compile("[^a-z0-9]+");
        Pattern edges = Pattern.compile("^_+|_+$");
        // ASCII of every class, separators, and characters whose lower case differs in length or leaves ASCII.
        String alphabet = "aqz09AQZ_- .(%\u0130\u00c9\u00df\u212a\u4e2d\ud83d\ude00";
        Random random = new Random(8);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder key = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = key.toString();
            String lowered = hump.matcher(text).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
            String expected =
                    edges.matcher(separators.matcher(lowered).replaceAll("_")).replaceAll("");
            assertThat(Identifiers.snakeCase(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void hostileKeysBecomeHarmlessDistinctNames() {
        Set<String> taken = new HashSet<>(DatasetTables.SYSTEM_COLUMNS);
        List<String> keys = List.of(
                "\"; drop table jobs; --", "a\"b", "", "\u0000", "Name", "name", "_row", "_file_id", "名前", "ключ");
        for (String key : keys) {
            String name = Identifiers.column(List.of(key), taken);
            assertThat(name).matches("[a-z][a-z0-9_]{0,62}");
            assertThat(taken.add(name)).as("distinct name for %s", key).isTrue();
        }
    }

    @Test
    void longNamesAreShortenedTo63BytesWithAStableHash() {
        String prefix = "a_very_long_key_that_goes_on_and_on_and_on_and_on_and_on_and_on_";
        String one = Identifiers.column(List.of(prefix + "first"), new HashSet<>());
        String two = Identifiers.column(List.of(prefix + "second"), new HashSet<>());
        assertThat(one.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
        assertThat(one).isNotEqualTo(two);
        assertThat(Identifiers.column(List.of(prefix + "first"), new HashSet<>()))
                .isEqualTo(one);
    }

    @Test
    void quotesEveryIdentifierAndRefusesNul() {
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Identifiers.qualified("datasets", "cars")).isEqualTo("\"datasets\".\"cars\"");
        assertThatThrownBy(() -> Identifiers.quote("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathsJoinWithDoubleUnderscores() {
        assertThat(Identifiers.column(List.of("address", "zipCode"), new HashSet<>()))
                .isEqualTo("address__zip_code");
        assertThat(Identifiers.column(List.of("a__b"), new HashSet<>())).isEqualTo("a_b");
    }

    @Test
    void widensOnlyWithoutChangingValues() {
        assertThat(SqlType.BIGINT.widenedFor(SqlType.NUMERIC)).contains(SqlType.NUMERIC);
        assertThat(SqlType.BIGINT.widenedFor(SqlType.BIGINT)).contains(SqlType.BIGINT);
        assertThat(SqlType.TEXT.widenedFor(SqlType.BIGINT)).isEmpty();
        assertThat(SqlType.DATE.widenedFor(SqlType.TIMESTAMPTZ)).isEmpty();
    }
}
