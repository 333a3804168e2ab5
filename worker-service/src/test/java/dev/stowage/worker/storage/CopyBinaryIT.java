// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stowage.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The binary encoding against PostgreSQL's own reading of the same values' text: each value goes in once through
 * binary COPY and once as text, and the two must be the same value with the same text output (so the display scale
 * of a numeric too). Run against the real database, since its {@code *_recv} functions are the specification.
 */
class CopyBinaryIT {

    private static final TestServices services = TestServices.isolated();
    private static Connection db;

    @BeforeAll
    static void connect() throws Exception {
        db = services.database();
    }

    @AfterAll
    static void disconnect() throws Exception {
        db.close();
    }

    @Test
    void numbersAsTheirTextWouldBe() throws Exception {
        List<String> numbers = new ArrayList<>(List.of(
                "0",
                "-0",
                "0.0",
                "-0.0",
                "0.000",
                "1",
                "-1",
                "9999",
                "10000",
                "10001",
                "99999999",
                "100000000",
                "0.0001",
                "0.00001",
                "0.1",
                "0.10",
                "1.50",
                "1e5",
                "1E+5",
                "1.50e1",
                "-98765.4321e3",
                "1.5e-7",
                "12345.6789",
                "3.14159265358979323846264338327950288",
                "123456789012345678901234567890",
                "-9223372036854775808",
                "9223372036854775807",
                "1e400",
                "1.5e999",
                "1e-300",
                "0.00e5",
                "7e-1"));
        Random random = new Random(8);
        for (int i = 0; i < 2000; i++) {
            BigInteger unscaled = new BigInteger(random.nextInt(1, 120), random);
            numbers.add(new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(-30, 40))
                    .toString());
        }
        roundTrip("numeric", numbers, (out, text) -> out.numericField(new BigDecimal(text)));
        roundTrip("numeric", numbers, CopyBinary::numericField);
    }

    @Test
    void instantsDatesAndUuidsAsTheirTextWouldBe() throws Exception {
        List<String> instants = new ArrayList<>(List.of(
                "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z",
                "2000-01-01T00:00:00Z",
                "1999-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00Z",
                "2024-02-29T12:30:45.123456Z",
                "1900-03-01T00:00:00.001Z"));
        List<String> dates =
                new ArrayList<>(List.of("0001-01-01", "9999-12-31", "2000-01-01", "1999-12-31", "2024-02-29"));
        List<String> uuids = new ArrayList<>(
                List.of("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"));
        Random random = new Random(9);
        for (int i = 0; i < 2000; i++) {
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L);
            long micros = switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1, 1000) * 1000L;
                default -> random.nextInt(1, 1_000_000);
            };
            String instant = Instant.ofEpochSecond(seconds, micros * 1000).toString();
            instants.add(instant);
            dates.add(LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400)).toString());
            uuids.add(UUID.randomUUID().toString());
        }
        roundTrip("timestamptz", instants, CopyBinary::timestampField);
        roundTrip("date", dates, CopyBinary::dateField);
        roundTrip("uuid", uuids, CopyBinary::uuidField);
    }

    @Test
    void textJsonbAndArraysAsTheirTextWouldBe() throws Exception {
        List<String> texts = List.of(
                "",
                "plain",
                "García Zürich",
                "tab\there\nnewline \\ back",
                "日本語",
                "emoji 😀👍",
                "\u07ff\u0800\uffff",
                "quote \" and '");
        roundTrip("text", texts, CopyBinary::textField);
        roundTrip(
                "jsonb",
                List.of("{\"a\": 1}", "{\"名前\": [1, 2.50, null, {\"b\": \"😀\"}]}", "[]"),
                CopyBinary::jsonbField);
        List<String> arrays = List.of("{a}", "{a,b_2,c}");
        roundTrip(
                "text[]",
                arrays,
                (out, text) -> out.textArrayField(
                        List.of(text.substring(1, text.length() - 1).split(","))));
    }

    @Test
    void whatPostgresqlCannotHoldIsRefusedBeforeItIsSent() {
        CopyBinary out = new CopyBinary();
        assertThatThrownBy(() -> out.textField("nul \u0000 inside")).isInstanceOf(UnstorableValueException.class);
        assertThatThrownBy(() -> out.textField("lone \ud800 surrogate")).isInstanceOf(UnstorableValueException.class);
        assertThatThrownBy(() -> out.numericField(new BigDecimal("1e200000")))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> out.numericField("1e200000")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> out.numericField("-1.5e-99999999999999999999"))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> out.numericField(new BigDecimal("1e-20000")))
                .isInstanceOf(NumberFormatException.class);
    }

    /** Each text loaded once through binary COPY and once as text; both must read back alike. */
    private static void roundTrip(String type, List<String> texts, BiConsumer<CopyBinary, String> encode)
            throws Exception {
        try (Statement statement = db.createStatement()) {
            statement.execute("create temporary table binary_round_trip (i int, binary_value " + type + ", text_value "
                    + type + ")");
        }
        try {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.write(CopyBinary.HEADER);
            CopyBinary row = new CopyBinary();
            for (int i = 0; i < texts.size(); i++) {
                row.clear();
                row.int16(2);
                row.int32(4);
                row.int32(i);
                encode.accept(row, texts.get(i));
                row.writeTo(copy);
            }
            copy.write(CopyBinary.TRAILER);
            db.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy binary_round_trip (i, binary_value) from stdin with (format binary)",
                            new java.io.ByteArrayInputStream(copy.toByteArray()));
            try (PreparedStatement update =
                    db.prepareStatement("update binary_round_trip set text_value = ?::" + type + " where i = ?")) {
                for (int i = 0; i < texts.size(); i++) {
                    update.setString(1, texts.get(i));
                    update.setInt(2, i);
                    update.addBatch();
                }
                update.executeBatch();
            }
            try (Statement statement = db.createStatement();
                    ResultSet differ = statement.executeQuery("select i, binary_value::text, text_value::text"
                            + " from binary_round_trip where binary_value::text is distinct from text_value::text"
                            + " or binary_value is distinct from text_value order by i limit 5")) {
                List<String> differences = new ArrayList<>();
                while (differ.next()) {
                    differences.add("%s: binary %s, text %s"
                            .formatted(texts.get(differ.getInt(1)), differ.getString(2), differ.getString(3)));
                }
                assertThat(differences).as(type).isEmpty();
            }
        } finally {
            try (Statement statement = db.createStatement()) {
                statement.execute("drop table binary_round_trip");
            }
        }
    }
}
