// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.time.Instant;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Which strings a typed column can hold and give back character for character: ISO dates, ISO instants in the
 * canonical form {@link Instant#toString()} writes (microsecond precision, PostgreSQL's), canonical UUIDs.
 */
final class Strings {

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Strings() {}

    /**
     * {@code yyyy-MM-dd} as {@link LocalDate#toString()} writes it, year 1 to 9999. Checked by hand rather than
     * parsed: the analyzer asks this of every string of every record.
     */
    static boolean isDate(String text) {
        return text.length() == 10 && isDateAt(text);
    }

    /**
     * An instant exactly as {@link Instant#toString()} writes it, to PostgreSQL's microsecond precision:
     * {@code yyyy-MM-ddTHH:mm:ssZ}, or with 3 or 6 fraction digits (never a group of three zeros at the end, which
     * {@code toString} leaves out). Checked by hand rather than parsed and formatted: the analyzer asks this of every
     * string of every record.
     */
    static boolean isTimestamp(String text) {
        int length = text.length();
        if ((length != 20 && length != 24 && length != 27) || !isDateAt(text)) {
            return false;
        }
        if (text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return false;
        }
        int hour = twoDigits(text, 11);
        int minute = twoDigits(text, 14);
        int second = twoDigits(text, 17);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        if (length == 20) {
            return true;
        }
        if (text.charAt(19) != '.') {
            return false;
        }
        for (int i = 20; i < length - 1; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return !text.startsWith("000", length - 4);
    }

    /** The first 10 characters are a valid ISO date of year 1 to 9999. */
    private static boolean isDateAt(String text) {
        if (text.charAt(4) != '-' || text.charAt(7) != '-') {
            return false;
        }
        int century = twoDigits(text, 0);
        int yearOfCentury = twoDigits(text, 2);
        int month = twoDigits(text, 5);
        int day = twoDigits(text, 8);
        if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        int year = century * 100 + yearOfCentury;
        return year >= 1 && day <= lengthOfMonth(year, month);
    }

    /** As {@code YearMonth.lengthOfMonth()}, without making one per string (proleptic Gregorian, as PostgreSQL). */
    private static int lengthOfMonth(int year, int month) {
        if (month == 2) {
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** The number of two digits at {@code at}, or -1. */
    private static int twoDigits(String text, int at) {
        char tens = text.charAt(at);
        char ones = text.charAt(at + 1);
        return isDigit(tens) && isDigit(ones) ? (tens - '0') * 10 + (ones - '0') : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUuid(String text) {
        return text.length() == 36 && UUID.matcher(text).matches(); // the length first: most strings are not
    }

    /** Keys that are data rather than names: numbers, UUIDs, dates. */
    static boolean looksLikeData(String key) {
        return INTEGER.matcher(key).matches()
                || UUID.matcher(key.toLowerCase(java.util.Locale.ROOT)).matches()
                || isDate(key);
    }
}
