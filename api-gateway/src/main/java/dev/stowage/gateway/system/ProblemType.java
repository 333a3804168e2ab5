// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Every kind of error the API answers: its stable {@code type} URI ({@link ApiProblem#TYPE_BASE} + slug), status,
 * title and an example of its detail. The one list that the answers ({@link ProblemAdvice}), the OpenAPI document
 * ({@link ProblemResponses}) and {@code docs/errors.md} (checked by a test) are made from. A slug, once published,
 * never changes meaning: clients branch on it.
 */
public enum ProblemType {
    UNAUTHORIZED(
            HttpStatus.UNAUTHORIZED,
            "unauthorized",
            "Missing or unknown API key",
            "This API needs a key: send 'Authorization: Bearer <key>'."),
    FORBIDDEN(
            HttpStatus.FORBIDDEN,
            "forbidden",
            "The key's role may not call this endpoint",
            "This endpoint needs an ADMIN key; the key sent has the role USER."),
    INVALID_PARAMETER(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            "Invalid parameter",
            "Parameter 'size' is '0': it must be an integer from 1 to 100 (default 20)."),
    UNKNOWN_PARAMETER(
            HttpStatus.BAD_REQUEST,
            "unknown-parameter",
            "Unknown parameter",
            "GET /api/v1/jobs takes no parameter 'datset'. It takes: status, dataset, page, size."),
    REPEATED_PARAMETER(
            HttpStatus.BAD_REQUEST,
            "repeated-parameter",
            "Repeated parameter",
            "Parameter 'status' was given 2 times: give it once."),
    MALFORMED_BODY(
            HttpStatus.BAD_REQUEST,
            "malformed-body",
            "Body is not valid JSON",
            "The body is not valid JSON (line 1, column 9: Unexpected end-of-input). Send a JSON object with the"
                    + " fields: name, role."),
    INVALID_BODY(
            HttpStatus.BAD_REQUEST,
            "invalid-body",
            "Invalid field in the body",
            "Field 'role' is 'user': it must be one of USER, ADMIN."),
    NO_FILES(
            HttpStatus.BAD_REQUEST,
            "no-files",
            "Upload without files",
            "The request holds no files. Send each file as a multipart part named 'files'."),
    EMPTY_FILE(
            HttpStatus.BAD_REQUEST,
            "empty-file",
            "Empty file",
            "File 'empty.json' is empty. Remove it or send its content; nothing was accepted."),
    INVALID_DATASET(
            HttpStatus.BAD_REQUEST,
            "invalid-dataset",
            "Invalid dataset name",
            "Parameter 'dataset' is 'x; drop table jobs': a dataset name is 1 to 63 letters, digits or underscores,"
                    + " starting with a letter."),
    INVALID_CALLBACK_URL(
            HttpStatus.BAD_REQUEST,
            "invalid-callback-url",
            "Callback URL refused",
            "Parameter 'callbackUrl' is 'http://10.0.0.7/hook': Stowage does not call it, because only https URLs are"
                    + " called (STOWAGE_WEBHOOK_ALLOW_HTTP=true allows http)."),
    NO_WEBHOOK_SECRET(
            HttpStatus.BAD_REQUEST,
            "no-webhook-secret",
            "No webhook signing secret",
            "Parameter 'callbackUrl' needs the tenant's signing secret, and tenant 'acme' has none yet: an ADMIN"
                    + " creates it with POST /api/v1/admin/webhook-secret."),
    NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "not-found",
            "No such resource",
            "No job with id '0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10'."),
    UNKNOWN_ENDPOINT(
            HttpStatus.NOT_FOUND,
            "unknown-endpoint",
            "No such endpoint",
            "There is no endpoint at GET /api/v1/job. The API's endpoints are described at /v3/api-docs and"
                    + " /swagger-ui.html."),
    METHOD_NOT_ALLOWED(
            HttpStatus.METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "'PUT' is not allowed on /api/v1/jobs: use one of GET, POST."),
    NOT_ACCEPTABLE(
            HttpStatus.NOT_ACCEPTABLE,
            "not-acceptable",
            "Cannot answer in an accepted media type",
            "GET /api/v1/jobs answers application/json, but the request accepts only 'text/xml'. Accept one of those."),
    NOT_DEAD_LETTERED(
            HttpStatus.CONFLICT,
            "not-dead-lettered",
            "File is not failed",
            "File 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10 is DONE, not FAILED: only failed files can be replayed."),
    NOT_STORED(
            HttpStatus.CONFLICT,
            "not-stored",
            "File not stored yet",
            "File 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10 is QUEUED: its data can be read once it is DONE."),
    JOB_ENDED(
            HttpStatus.CONFLICT,
            "job-ended",
            "Job has ended",
            "Job 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10 has ended: there is nothing left to cancel."),
    JOB_CANCELLED(
            HttpStatus.CONFLICT,
            "job-cancelled",
            "Job was cancelled",
            "File 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10 belongs to job 5f0c2a7e-91d4-4b3c-8a6e-1d2f3a4b5c6d, which was"
                    + " cancelled: its files are not replayed. Upload the file again as a new job."),
    TOO_MANY_FILES(
            HttpStatus.CONTENT_TOO_LARGE,
            "too-many-files",
            "Too many files in one upload",
            "An upload may hold at most 1000 files of at most 100MB each and 1GB in all. Split it into several"
                    + " jobs, or raise STOWAGE_UPLOAD_MAX_FILE_SIZE, STOWAGE_UPLOAD_MAX_REQUEST_SIZE or"
                    + " STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST."),
    TOO_LARGE(
            HttpStatus.CONTENT_TOO_LARGE,
            "too-large",
            "File or upload too large",
            "An upload may hold at most 1000 files of at most 100MB each and 1GB in all. Split it into several"
                    + " jobs, or raise STOWAGE_UPLOAD_MAX_FILE_SIZE, STOWAGE_UPLOAD_MAX_REQUEST_SIZE or"
                    + " STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST."),
    UNSUPPORTED_MEDIA_TYPE(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Content type not accepted",
            "Content type 'text/plain' is not accepted by POST /api/v1/jobs. Send one of: multipart/form-data,"
                    + " application/json, application/x-ndjson."),
    IDEMPOTENCY_KEY_REUSED(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "idempotency-key-reused",
            "Idempotency key used for another request",
            "Idempotency-Key 'nightly-2026-12-04' was used within 24 hours for another request (other files, bytes,"
                    + " dataset or callback URL), job 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10. Use a new key for a new upload."),
    QUOTA_EXCEEDED(
            HttpStatus.TOO_MANY_REQUESTS,
            "quota-exceeded",
            "Tenant quota exceeded",
            "Tenant 'acme' has 99990 files waiting (QUEUED or RETRYING); with this upload's 20 it would have more"
                    + " than 100000 (STOWAGE_TENANT_MAX_WAITING_FILES). Nothing was accepted: try again after"
                    + " Retry-After seconds, once workers have taken some."),
    INTERNAL_ERROR(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal-error",
            "Unexpected error",
            "The gateway failed unexpectedly; the error is logged. Try again, and report it with the time of the"
                    + " request if it persists."),
    DATABASE_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "database-unavailable",
            "Database unavailable",
            "The database is unavailable; nothing was accepted. Try again shortly."),
    BROKER_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "broker-unavailable",
            "Message broker unavailable",
            "The message broker is unavailable. Try again.");

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final String example;

    ProblemType(HttpStatus status, String slug, String title, String example) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.example = example;
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    /** The same for every occurrence (RFC 9457): what went wrong in general; the detail says what and how to fix. */
    public String title() {
        return title;
    }

    /** A detail as an answer would carry it, for the OpenAPI document's examples. */
    public String example() {
        return example;
    }

    public URI type() {
        return URI.create(ApiProblem.TYPE_BASE + slug);
    }

    public static Optional<ProblemType> ofSlug(String slug) {
        for (ProblemType type : values()) {
            if (type.slug.equals(slug)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
