// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stowage.worker.analysis.AnalyzerSettings;
import dev.stowage.worker.analysis.InvalidJsonException;
import dev.stowage.worker.analysis.JsonLimits;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.StructureAnalyzer;
import dev.stowage.worker.storage.UnstorableValueException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class FailureClassifierTest {

    @Test
    void theDatabaseAwayOrBusyIsTransient() {
        assertTransient(new CannotAcquireLockException("x", new SQLException("lock timeout", "55P03")), "LockTimeout");
        assertTransient(new SQLException("canceling statement", "57014"), "StatementTimeout");
        assertTransient(new SQLException("deadlock", "40P01"), "Deadlock");
        assertTransient(new SQLException("could not serialize", "40001"), "SerializationFailure");
        assertTransient(new SQLException("terminating connection", "57P01"), "DatabaseShutdown");
        assertTransient(new SQLException("relation does not exist", "42P01"), "TableChanged");
        assertTransient(new SQLException("column does not exist", "42703"), "TableChanged");
        assertTransient(new SQLException("connection refused", "08001"), "ConnectionFailure");
        assertTransient(
                new CannotGetJdbcConnectionException(
                        "no connection",
                        new SQLException("Connection refused", "08001", new ConnectException("refused"))),
                "ConnectionFailure");
    }

    @Test
    void losingTheFilesBytesMidReadIsTransientNotInvalidJson() {
        // A file of several chunks is read from the database while it is parsed: a dropped connection there
        // surfaces inside the JSON parser, and must not fail the file as if its JSON were broken.
        IOException dropped =
                new IOException("Reading chunk 1 of file f failed", new SQLException("An I/O error occurred", "08006"));
        Throwable analyzing = catchThrowable(() -> new StructureAnalyzer(AnalyzerSettings.defaults())
                .analyze(failingAfter("[{\"a\": 1}, {\"a\": ", dropped), false));
        Throwable storing = catchThrowable(() ->
                JsonRecords.readTokens(failingAfter("[{\"a\": 1}, {\"a\": ", dropped), false, p -> p.skipChildren()));

        assertTransient(analyzing, "ConnectionFailure");
        assertTransient(storing, "ConnectionFailure");
        assertThat(analyzing).isNotInstanceOf(InvalidJsonException.class).hasRootCauseInstanceOf(SQLException.class);
    }

    /** A stream that yields {@code json} and then fails with {@code failure}. */
    private static InputStream failingAfter(String json, IOException failure) {
        return new SequenceInputStream(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw failure;
                    }
                });
    }

    @Test
    void theFileItselfIsPermanent() {
        assertPermanent(new InvalidJsonException("Invalid JSON at line 1, column 2 (byte 1): x"), "InvalidJson");
        assertPermanent(new UnstorableValueException("NUL"), "UnstorableValue");
        assertPermanent(new RuntimeException(new SQLException("invalid byte sequence", "22021")), "InvalidData");
        assertPermanent(new SQLException("tables can have at most 1600 columns", "54011"), "LimitExceeded");
        assertPermanent(new OutOfMemoryError("Java heap space"), "OutOfMemory");
        assertPermanent(new NumberFormatException("value exceeds limits"), "NumberOutOfRange");
    }

    @Test
    void aFileBreakingALimitIsPermanent() {
        AnalyzerSettings defaults = AnalyzerSettings.defaults();
        StructureAnalyzer analyzer = new StructureAnalyzer(new AnalyzerSettings(
                defaults.maxDepth(),
                defaults.minPresence(),
                defaults.minCoverage(),
                defaults.maxColumns(),
                defaults.maxPaths(),
                defaults.mapLikeMinKeys(),
                new JsonLimits(500, 20_000_000, 1_000, 10_000, 2, 10)));
        Throwable broken = catchThrowable(() -> analyzer.analyze(
                new ByteArrayInputStream("{\"a\":1,\"b\":2,\"c\":3}".getBytes(StandardCharsets.UTF_8)), false));

        assertPermanent(broken, "LimitExceeded");
        assertThat(FailureClassifier.classify(broken).describe())
                .startsWith(
                        "LimitExceeded: Limit exceeded at line 1, column 14 (byte 13): an object has more than 2 keys");
    }

    @Test
    void unknownFailuresAreRetriedWithinTheBudget() {
        Failure unknown = FailureClassifier.classify(new IllegalStateException("something unforeseen"));
        assertThat(unknown.transientFailure()).isTrue();
        assertThat(unknown.errorClass()).isEqualTo("IllegalStateException");
        assertThat(unknown.describe()).isEqualTo("IllegalStateException: something unforeseen");
    }

    @Test
    void headerMessagesAreShortAndOneLine() {
        Failure failure = FailureClassifier.classify(new InvalidJsonException("x".repeat(500) + "\nsecond line"));
        assertThat(failure.shortMessage()).hasSize(200).doesNotContain("\n");
    }

    private static void assertTransient(Throwable error, String errorClass) {
        Failure failure = FailureClassifier.classify(error);
        assertThat(failure.transientFailure()).as(errorClass).isTrue();
        assertThat(failure.errorClass()).isEqualTo(errorClass);
    }

    private static void assertPermanent(Throwable error, String errorClass) {
        Failure failure = FailureClassifier.classify(error);
        assertThat(failure.transientFailure()).as(errorClass).isFalse();
        assertThat(failure.errorClass()).isEqualTo(errorClass);
    }
}
