// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Why a JSON body could not be read, said in the body's terms: no body or no JSON ({@code malformed-body}), or JSON
 * whose field has the wrong type or value ({@code invalid-body}), naming the field and what it takes. Jackson's own
 * message is never shown whole: it describes Java types, not the API.
 */
record JsonBodyFailure(ProblemType type, String detail) {

    /** Spring's message when a required body is absent. */
    private static final String NO_BODY = "Required request body is missing";

    static JsonBodyFailure of(HttpMessageNotReadableException ex, Class<?> body) {
        String expected = "a JSON object with the fields: " + JsonBodies.fields(body);
        JacksonException jackson = find(ex);
        if (jackson == null) {
            String message = String.valueOf(ex.getMessage());
            return new JsonBodyFailure(
                    ProblemType.MALFORMED_BODY,
                    message.startsWith(NO_BODY)
                            ? "The request has no body. Send " + expected + "."
                            : "The body could not be read (" + ProblemAdvice.shortMessage(ex) + "). Send " + expected
                                    + ".");
        }
        if (jackson instanceof MismatchedInputException mismatch) {
            return mismatch(mismatch, body, expected);
        }
        TokenStreamLocation location = jackson.getLocation();
        String where =
                location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        String reason = firstLine(jackson.getOriginalMessage());
        return new JsonBodyFailure(
                ProblemType.MALFORMED_BODY,
                "The body is not valid JSON (" + where + reason + "). Send " + expected + ".");
    }

    private static JsonBodyFailure mismatch(MismatchedInputException mismatch, Class<?> body, String expected) {
        List<JacksonException.Reference> path = mismatch.getPath();
        if (path.isEmpty() || path.get(0).getPropertyName() == null) {
            return new JsonBodyFailure(ProblemType.INVALID_BODY, "The body must be " + expected + ".");
        }
        String field = path.get(0).getPropertyName();
        if (mismatch instanceof UnrecognizedPropertyException) {
            return new JsonBodyFailure(
                    ProblemType.INVALID_BODY,
                    "Field " + ApiProblem.shown(field) + " is not one of this body's fields: send only "
                            + JsonBodies.fields(body) + ".");
        }
        String given = mismatch instanceof InvalidFormatException format
                ? "is " + ApiProblem.shown(format.getValue())
                : "has the wrong JSON type";
        String allowed = JsonBodies.allowed(body, field).orElse("of another type");
        return new JsonBodyFailure(
                ProblemType.INVALID_BODY,
                "Field " + ApiProblem.shown(field) + " " + given + ": it must be " + allowed + ".");
    }

    private static @Nullable JacksonException find(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    /** Jackson's reason without the location it appends on later lines, shortened. */
    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        return line.length() <= ApiProblem.SHOWN_CHARACTERS
                ? line
                : line.substring(0, ApiProblem.SHOWN_CHARACTERS) + "…";
    }
}
