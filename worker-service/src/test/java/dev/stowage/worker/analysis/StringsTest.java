// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written date and instant checks against the definition they replace: a string qualifies exactly when
 * java.time parses it and writes it back character for character.
 */
class StringsTest {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?Z");

    static boolean referenceDate(String text) {
        try {
            LocalDate date = LocalDate.parse(text);
            return DATE.matcher(text).matches()
                    && date.getYear() >= 1
                    && date.toString().equals(text);
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean referenceTimestamp(String text) {
        try {
            Instant instant = Instant.parse(text);
            return INSTANT.matcher(text).matches()
                    && instant.toString().equals(text)
                    && instant.atOffset(ZoneOffset.UTC).getYear() >= 1;
        } catch (DateTimeException e) {
            return false;
        }
    }

    @Test
    void agreesWithJavaTimeOnGeneratedAndMutatedStrings() {
        Random random = new Random(42);
        List<String> candidates = new ArrayList<>(List.of(
                "2024-02-29",
                "2023-02-29",
                "0000-01-01",
                "0001-01-01",
                "9999-12-31",
                "2024-13-01",
                "2024-00-10",
                "2024-01-00",
                "2024-04-31",
                "2024-1-01",
                "2024-01-01T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T23:59:60Z",
                "2024-01-01T10:00Z",
                "2024-01-01T10:00:00.000Z",
                "2024-01-01T10:00:00.100Z",
                "2024-01-01T10:00:00.1Z",
                "2024-01-01T10:00:00.123456Z",
                "2024-01-01T10:00:00.123000Z",
                "2024-01-01T10:00:00.000001Z",
                "2024-01-01T10:00:00.123456789Z",
                "2024-01-01T10:00:00+00:00",
                "2024-01-01 10:00:00Z",
                "1900-02-29",
                "2000-02-29",
                "2100-02-29"));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L);
            int micros = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1000;
                case 2 -> random.nextInt(1_000_000);
                default -> random.nextInt(10) * 100_000;
            };
            String instant = Instant.ofEpochSecond(seconds, micros * 1000L).toString();
            candidates.add(instant);
            candidates.add(instant.substring(0, 10));
            candidates.add(mutate(instant, random));
            candidates.add(mutate(instant.substring(0, 10), random));
        }
        for (String candidate : candidates) {
            assertThat(Strings.isTimestamp(candidate)).as(candidate).isEqualTo(referenceTimestamp(candidate));
            assertThat(Strings.isDate(candidate)).as(candidate).isEqualTo(referenceDate(candidate));
        }
    }

    /** One character changed to a digit or a separator: the near misses a wrong check would let through. */
    private static String mutate(String text, Random random) {
        char[] chars = text.toCharArray();
        chars[random.nextInt(chars.length)] = "0123456789-:.TZ ".charAt(random.nextInt(16));
        return new String(chars);
    }
}
