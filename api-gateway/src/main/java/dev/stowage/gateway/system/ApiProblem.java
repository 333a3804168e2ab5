// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request we refuse, with what the client must fix. Turned into an RFC 9457 answer by {@link ProblemAdvice}.
 * Its slug should be one of {@link ProblemType}'s: that is what the OpenAPI document and docs/errors.md describe.
 */
public class ApiProblem extends RuntimeException {

    /** Every problem's {@code type} is this plus a slug that names the problem. */
    public static final String TYPE_BASE = "https://stowage.dev/problems/";

    /** A value the client sent is shown up to this many characters: enough to recognise, never a wall of text. */
    static final int SHOWN_CHARACTERS = 100;

    private final HttpStatus status;
    private final String slug;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(ProblemType type, String detail) {
        this(type.status(), type.slug(), detail);
    }

    /** @param slug the last segment of the problem's stable {@code type} URI */
    public ApiProblem(HttpStatus status, String slug, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(ProblemType.NOT_FOUND, "No " + what + " with id " + shown(id) + ".");
    }

    /**
     * A value the client sent, quoted and cut to {@value #SHOWN_CHARACTERS} characters (with its full length), so
     * that an answer says what was given without echoing a 5,000-character parameter back.
     */
    public static String shown(Object value) {
        String text = String.valueOf(value);
        if (text.length() <= SHOWN_CHARACTERS) {
            return "'" + text + "'";
        }
        return "'" + text.substring(0, SHOWN_CHARACTERS) + "…' (" + text.length() + " characters)";
    }

    /** A member of the answer beside type, title, status, detail and instance (RFC 9457 extension members). */
    public ApiProblem with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** A header of the answer ({@code Retry-After}). */
    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }
}
