// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A classified failure.
 *
 * @param transientFailure whether trying again later can succeed
 * @param errorClass a short, stable name to filter and alert on, e.g. {@code LockTimeout}, {@code InvalidJson}
 * @param message what went wrong, for people
 * @param cause the exception, for the stack trace kept in PostgreSQL
 */
record Failure(boolean transientFailure, String errorClass, String message, Throwable cause) {

    private static final int SHORT = 200;

    /** {@code ErrorClass: message}, as stored on the file and shown by the API. */
    String describe() {
        return errorClass + ": " + message;
    }

    /** One line of at most 200 characters, small enough for a message header. */
    String shortMessage() {
        String line = message.lines().findFirst().orElse("");
        return line.length() <= SHORT ? line : line.substring(0, SHORT - 1) + "…";
    }

    String stackTrace() {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
