package dev.stowage.gateway.system;

import org.springframework.http.HttpStatus;

/**
 * A request we refuse, with what the client must fix. Turned into an RFC 9457 answer by {@link ProblemAdvice}.
 *
 * @param slug the last segment of the problem's stable {@code type} URI
 */
public class ApiProblem extends RuntimeException {

    /** Every problem's {@code type} is this plus a slug that names the problem. */
    public static final String TYPE_BASE = "https://stowage.dev/problems/";

    private final HttpStatus status;
    private final String slug;

    public ApiProblem(HttpStatus status, String slug, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "No " + what + " with id " + id + ".");
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }
}
