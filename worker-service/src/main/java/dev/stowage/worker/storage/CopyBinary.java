// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Encodes values in PostgreSQL's binary COPY format (the {@code COPY} page of its manual, and each type's
 * {@code *_recv} function), so that PostgreSQL stores them without parsing any value's text. One buffer is filled
 * field by field and reused.
 *
 * <p>Every value is encoded exactly as PostgreSQL would read its text form: integers and decimals digit for digit
 * (with the display scale of the text), timestamps and dates only in the canonical forms {@code SqlType} admits,
 * text as UTF-8 refused where PostgreSQL cannot hold it (NUL, a lone surrogate).
 */
final class CopyBinary {

    /** The file header: signature, flags, header extension length. */
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };

    /** The trailer: a field count of -1. */
    static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private static final int TEXT_OID = 25;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** PostgreSQL's epoch for dates and timestamps, 2000-01-01, in days since 1970-01-01. */
    private static final long POSTGRES_EPOCH_DAY = 10_957;

    private static final short NUMERIC_POSITIVE = 0x0000;
    private static final short NUMERIC_NEGATIVE = 0x4000;
    /** The largest display scale PostgreSQL's numeric has room for; its weight is a 16-bit power of 10000. */
    private static final int NUMERIC_MAX_SCALE = 0x3FFF;

    private static final int[] POWERS = {1, 10, 100, 1000};

    private byte[] bytes = new byte[256];
    private int length;

    /** Empties the buffer. */
    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    /** Writes what the buffer holds. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    /** Appends another buffer's bytes from {@code from} to {@code to}. */
    void append(CopyBinary other, int from, int to) {
        ensure(to - from);
        System.arraycopy(other.bytes, from, bytes, length, to - from);
        length += to - from;
    }

    void int16(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void int32(int value) {
        ensure(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void int64(long value) {
        int32((int) (value >>> 32));
        int32((int) value);
    }

    /** A NULL field. */
    void nullField() {
        int32(-1);
    }

    void booleanField(boolean value) {
        int32(1);
        ensure(1);
        bytes[length++] = (byte) (value ? 1 : 0);
    }

    void bigintField(long value) {
        int32(8);
        int64(value);
    }

    /** A {@code uuid} in its canonical text form (as {@code Strings.isUuid} admits). */
    void uuidField(String uuid) {
        uuidField(
                hex(uuid, 0, 8) << 32 | hex(uuid, 9, 13) << 16 | hex(uuid, 14, 18),
                hex(uuid, 19, 23) << 48 | hex(uuid, 24, 36));
    }

    void uuidField(UUID uuid) {
        uuidField(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    private void uuidField(long mostSignificant, long leastSignificant) {
        int32(16);
        int64(mostSignificant);
        int64(leastSignificant);
    }

    /** A {@code date} written {@code yyyy-MM-dd} (as {@code Strings.isDate} admits). */
    void dateField(String date) {
        int32(4);
        int32((int) (epochDay(date) - POSTGRES_EPOCH_DAY));
    }

    /**
     * A {@code timestamptz} written {@code yyyy-MM-ddTHH:mm:ss[.SSS|.SSSSSS]Z} (as {@code Strings.isTimestamp}
     * admits): microseconds since 2000-01-01 UTC.
     */
    void timestampField(String instant) {
        long micros = (epochDay(instant) - POSTGRES_EPOCH_DAY) * MICROS_PER_DAY
                + ((number(instant, 11, 13) * 60 + number(instant, 14, 16)) * 60 + number(instant, 17, 19))
                        * 1_000_000L;
        int fraction = instant.length() - 21; // digits between '.' and 'Z', if any
        if (fraction > 0) {
            micros += number(instant, 20, 20 + fraction) * (fraction == 3 ? 1000 : 1);
        }
        int32(8);
        int64(micros);
    }

    /** A {@code text} value. */
    void textField(String text) {
        int start = reserveLength();
        utf8(text, true);
        endField(start);
    }

    /** A {@code jsonb} value from its JSON text: format version 1, then the text. */
    void jsonbField(String json) {
        int start = reserveLength();
        ensure(1);
        bytes[length++] = 1;
        utf8(json, false);
        endField(start);
    }

    /** A one-dimensional {@code text[]} without NULLs. */
    void textArrayField(List<String> elements) {
        int start = reserveLength();
        int32(1); // dimensions
        int32(0); // no NULLs
        int32(TEXT_OID);
        int32(elements.size());
        int32(1); // lower bound
        for (String element : elements) {
            textField(element);
        }
        endField(start);
    }

    /**
     * A {@code numeric}: base-10000 digits from the most significant, the weight of the first (its power of
     * 10000), the sign and the display scale, which is the value's scale as its text would give it.
     */
    void numericField(BigDecimal value) {
        String digits = value.unscaledValue().abs().toString();
        numeric(value.signum() < 0, digits, 0, digits.length(), value.scale(), value);
    }

    /** The same from a JSON number's text, as PostgreSQL would read it: no BigDecimal made of it. */
    void numericField(String json) {
        boolean negative = json.charAt(0) == '-';
        int from = negative ? 1 : 0;
        int exponentAt = Math.max(json.indexOf('e', from), json.indexOf('E', from));
        int end = exponentAt < 0 ? json.length() : exponentAt;
        int point = json.indexOf('.', from);
        if (point >= end) {
            point = -1;
        }
        long exponent = 0;
        if (exponentAt >= 0) {
            int at = exponentAt + 1;
            boolean down = json.charAt(at) == '-';
            at += json.charAt(at) == '-' || json.charAt(at) == '+' ? 1 : 0;
            for (; at < json.length() && exponent < Integer.MAX_VALUE; at++) {
                exponent = exponent * 10 + (json.charAt(at) - '0'); // capped: beyond it numeric holds nothing anyway
            }
            exponent = down ? -exponent : exponent;
        }
        String digits =
                point < 0 ? json.substring(from, end) : json.substring(from, point) + json.substring(point + 1, end);
        int lead = 0;
        while (lead < digits.length() && digits.charAt(lead) == '0') {
            lead++;
        }
        long scale = (point < 0 ? 0 : end - point - 1) - exponent;
        numeric(negative && lead < digits.length(), digits, lead, digits.length(), scale, json);
    }

    /**
     * Digits {@code from} to {@code to} (no leading zero; none at all for zero) times 10^-{@code scale}.
     *
     * @param shown the number as given, for the error message
     */
    private void numeric(boolean negative, String digits, int from, int to, long valueScale, Object shown) {
        if (valueScale > NUMERIC_MAX_SCALE || valueScale < -(Short.MAX_VALUE + 1L) * 4) {
            throw outOfRange(shown);
        }
        int scale = (int) Math.max(0, valueScale);
        if (from == to || (to - from == 1 && digits.charAt(from) == '0')) {
            numericHeader(0, 0, NUMERIC_POSITIVE, scale);
            return;
        }
        // The value is digits × 10^exponent; digit i (from the left) stands for 10^(pointAt - 1 - i).
        long exponent = -valueScale;
        long pointAt = (to - from) + exponent;
        long weight = Math.floorDiv(pointAt - 1, 4);
        long last = Math.floorDiv(exponent, 4);
        if (weight > Short.MAX_VALUE || last < Short.MIN_VALUE) {
            throw outOfRange(shown);
        }
        int count = (int) (weight - last + 1);
        int[] groups = new int[count];
        for (int i = from; i < to; i++) {
            long power = pointAt - 1 - (i - from);
            long group = Math.floorDiv(power, 4);
            groups[(int) (weight - group)] += (digits.charAt(i) - '0') * POWERS[(int) (power - group * 4)];
        }
        while (count > 0 && groups[count - 1] == 0) {
            count--; // trailing zero groups carry nothing; the display scale keeps the zeros
        }
        numericHeader(count, (int) weight, negative ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE, scale);
        for (int i = 0; i < count; i++) {
            int16(groups[i]);
        }
    }

    private static NumberFormatException outOfRange(Object number) {
        String text = number.toString();
        return new NumberFormatException("The number %s is outside what PostgreSQL's numeric can hold."
                .formatted(text.length() > 40 ? text.substring(0, 40) + "…" : text));
    }

    private void numericHeader(int count, int weight, short sign, int scale) {
        int32(8 + 2 * count);
        int16(count);
        int16(weight);
        int16(sign);
        int16(scale);
    }

    /** Room for a field's length, filled in by {@link #endField}. */
    private int reserveLength() {
        int32(0);
        return length;
    }

    private void endField(int start) {
        int fieldLength = length - start;
        bytes[start - 4] = (byte) (fieldLength >>> 24);
        bytes[start - 3] = (byte) (fieldLength >>> 16);
        bytes[start - 2] = (byte) (fieldLength >>> 8);
        bytes[start - 1] = (byte) fieldLength;
    }

    /**
     * UTF-8, refusing what PostgreSQL's text cannot hold: NUL (where {@code refuseNul}; JSON text escapes it) and a
     * lone UTF-16 surrogate, which UTF-8 cannot encode and would silently become '?'.
     */
    private void utf8(String text, boolean refuseNul) {
        ensure(text.length() * 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == 0 && refuseNul) {
                    throw new UnstorableValueException("PostgreSQL text cannot hold the NUL character (\\u0000).");
                }
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xc0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            } else if (!Character.isSurrogate(c)) {
                bytes[length++] = (byte) (0xe0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int code = Character.toCodePoint(c, text.charAt(++i));
                bytes[length++] = (byte) (0xf0 | code >> 18);
                bytes[length++] = (byte) (0x80 | code >> 12 & 0x3f);
                bytes[length++] = (byte) (0x80 | code >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | code & 0x3f);
            } else {
                throw new UnstorableValueException(
                        "The text holds a lone UTF-16 surrogate (\\u%04X), which PostgreSQL cannot store."
                                .formatted((int) c));
            }
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Days since 1970-01-01 of the date in the first 10 characters (proleptic Gregorian, as PostgreSQL). */
    static long epochDay(String text) {
        long year = number(text, 0, 4);
        int month = (int) number(text, 5, 7);
        int day = (int) number(text, 8, 10);
        // Howard Hinnant's days_from_civil: March-based years put the leap day last.
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static long number(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value << 4 | Character.digit(text.charAt(i), 16);
        }
        return value;
    }
}
