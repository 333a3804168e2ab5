package dev.stowage.worker.analysis;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Which strings a typed column can hold and give back character for character: ISO dates, ISO instants in the
 * canonical form {@link Instant#toString()} writes (microsecond precision, PostgreSQL's), canonical UUIDs.
 */
final class Strings {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?Z");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Strings() {}

    static boolean isDate(String text) {
        if (!DATE.matcher(text).matches()) {
            return false;
        }
        try {
            LocalDate date = LocalDate.parse(text);
            return date.getYear() >= 1 && date.toString().equals(text);
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean isTimestamp(String text) {
        if (!INSTANT.matcher(text).matches()) {
            return false;
        }
        try {
            Instant instant = Instant.parse(text);
            return instant.toString().equals(text)
                    && instant.atOffset(java.time.ZoneOffset.UTC).getYear() >= 1;
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean isUuid(String text) {
        return UUID.matcher(text).matches();
    }

    /** Keys that are data rather than names: numbers, UUIDs, dates. */
    static boolean looksLikeData(String key) {
        return key.matches("-?\\d+")
                || UUID.matcher(key.toLowerCase(java.util.Locale.ROOT)).matches()
                || isDate(key);
    }
}
