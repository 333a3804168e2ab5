// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.worker.analysis.InvalidJsonException;
import dev.stowage.worker.analysis.JsonLimitException;
import dev.stowage.worker.storage.UnstorableValueException;
import java.io.IOException;
import java.sql.SQLException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Classifies, rather than guesses: transient failures (the database away or busy) are retried through the delay
 * tiers; permanent ones (the file itself is the problem) are dead-lettered at once, since retrying cannot help.
 *
 * <p>Unknown exceptions count as transient: their retries are bounded (by default 3 more tries over 7 seconds),
 * so a permanent one costs a few seconds before it reaches the dead-letter queue, while a transient one we did
 * not foresee still heals by itself.
 */
final class FailureClassifier {

    /** The table or a column the worker wrote to no longer exists: what it knew of the table is out of date. */
    static final String TABLE_CHANGED = "TableChanged";

    private FailureClassifier() {}

    static Failure classify(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof InvalidJsonException) {
                return permanent("InvalidJson", e, error);
            }
            if (e instanceof JsonLimitException || e instanceof StreamConstraintsException) {
                return permanent("LimitExceeded", e, error);
            }
            if (e instanceof NumberFormatException || e instanceof ArithmeticException) {
                return permanent("NumberOutOfRange", e, error); // e.g. 0.4e006699…: no decimal type holds it
            }
            if (e instanceof UnstorableValueException) {
                return permanent("UnstorableValue", e, error);
            }
            if (e instanceof OutOfMemoryError) {
                return permanent("OutOfMemory", e, error);
            }
            if (e instanceof StackOverflowError) {
                return permanent("TooDeeplyNested", e, error);
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                return bySqlState(sql, error);
            }
            if (e instanceof IOException) {
                return transientFailure("ConnectionFailure", e, error);
            }
        }
        if (error instanceof TransientDataAccessException || error instanceof DataAccessResourceFailureException) {
            return transientFailure("DatabaseUnavailable", error, error);
        }
        return transientFailure(error.getClass().getSimpleName(), error, error);
    }

    /** PostgreSQL's SQLSTATE codes (appendix A of its manual). */
    private static Failure bySqlState(SQLException sql, Throwable error) {
        String state = sql.getSQLState();
        return switch (state) {
            case "55P03" -> transientFailure("LockTimeout", sql, error);
            case "57014" -> transientFailure("StatementTimeout", sql, error);
            case "40P01" -> transientFailure("Deadlock", sql, error);
            case "40001" -> transientFailure("SerializationFailure", sql, error);
            case "42P01", "42703" -> transientFailure(TABLE_CHANGED, sql, error); // undefined table, column
            case "57P01", "57P02", "57P03" -> transientFailure("DatabaseShutdown", sql, error);
            default ->
                switch (state.substring(0, 2)) {
                    case "08" -> transientFailure("ConnectionFailure", sql, error);
                    case "53" -> transientFailure("InsufficientResources", sql, error);
                    case "22" -> permanent("InvalidData", sql, error);
                    case "54" -> permanent("LimitExceeded", sql, error);
                    default -> transientFailure("SqlState" + state, sql, error);
                };
        };
    }

    private static Failure permanent(String errorClass, Throwable specific, Throwable error) {
        return new Failure(false, errorClass, messageOf(specific), error);
    }

    private static Failure transientFailure(String errorClass, Throwable specific, Throwable error) {
        return new Failure(true, errorClass, messageOf(specific), error);
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
