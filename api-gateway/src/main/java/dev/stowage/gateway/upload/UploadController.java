// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import static dev.stowage.gateway.system.ProblemType.EMPTY_FILE;
import static dev.stowage.gateway.system.ProblemType.IDEMPOTENCY_KEY_REUSED;
import static dev.stowage.gateway.system.ProblemType.INVALID_CALLBACK_URL;
import static dev.stowage.gateway.system.ProblemType.INVALID_DATASET;
import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.MALFORMED_BODY;
import static dev.stowage.gateway.system.ProblemType.NO_FILES;
import static dev.stowage.gateway.system.ProblemType.NO_WEBHOOK_SECRET;
import static dev.stowage.gateway.system.ProblemType.QUOTA_EXCEEDED;
import static dev.stowage.gateway.system.ProblemType.REPEATED_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.TOO_LARGE;
import static dev.stowage.gateway.system.ProblemType.TOO_MANY_FILES;
import static dev.stowage.gateway.system.ProblemType.UNSUPPORTED_MEDIA_TYPE;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.datasets.DatasetName;
import dev.stowage.gateway.jobs.JobView;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import dev.stowage.gateway.system.Problems;
import dev.stowage.gateway.system.UploadLimits;
import dev.stowage.gateway.webhooks.CallbackUrls;
import dev.stowage.gateway.webhooks.WebhookSecrets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code POST /api/v1/jobs}: many files as multipart, or one JSON / NDJSON body; answers 202 with the job. */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs")
class UploadController {

    static final String NDJSON = "application/x-ndjson";
    /** A file's name is kept up to this many characters: a part's is cut, a longer ?name= refused. */
    static final int MAX_NAME = 255;
    /** Characters a client-supplied file name loses. */
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}");

    /** Marks the answer to a retried upload: the job is the first request's. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final JobIntake intake;
    private final UploadLimits limits;
    private final CallbackUrls callbackUrls;
    private final WebhookSecrets secrets;

    UploadController(JobIntake intake, UploadLimits limits, CallbackUrls callbackUrls, WebhookSecrets secrets) {
        this.intake = intake;
        this.limits = limits;
        this.callbackUrls = callbackUrls;
        this.secrets = secrets;
    }

    /** Documents the whole operation, both forms: the OpenAPI document has one operation per path and method. */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            operationId = "uploadJob",
            summary = "Upload files as a job",
            description = "Send many files as multipart/form-data (each a part named 'files'), or one file as the"
                    + " body (application/json or application/x-ndjson, its name in ?name=). The answer comes as"
                    + " soon as the files are stored in the queue's database: 202 with the job, every file QUEUED;"
                    + " follow the Location header. With a dataset, the files' records go into that table. With an"
                    + " Idempotency-Key, a retry of the same request within 24 hours answers 200 with the job the"
                    + " first one made (header Idempotent-Replayed: true) and stores nothing; the key with another"
                    + " request answers 422. A tenant over its quota of waiting files"
                    + " (STOWAGE_TENANT_MAX_WAITING_FILES) or of uploads per minute"
                    + " (STOWAGE_TENANT_MAX_UPLOADS_PER_MINUTE) gets 429 with Retry-After, and nothing is stored.",
            requestBody =
                    @RequestBody(
                            required = true,
                            description = "Many files as multipart parts, or one file as the body",
                            content = {
                                @Content(
                                        mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                                        schemaProperties = {
                                            @SchemaProperty(
                                                    name = "files",
                                                    array =
                                                            @ArraySchema(
                                                                    schema =
                                                                            @Schema(type = "string", format = "binary"),
                                                                    arraySchema =
                                                                            @Schema(
                                                                                    description =
                                                                                            "The files, one part"
                                                                                                    + " each, at most"
                                                                                                    + " STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST"))),
                                            @SchemaProperty(
                                                    name = "dataset",
                                                    schema =
                                                            @Schema(
                                                                    type = "string",
                                                                    pattern = DatasetName.PATTERN,
                                                                    description = "The dataset, as a form field"
                                                                            + " instead of the query parameter")),
                                            @SchemaProperty(
                                                    name = "callbackUrl",
                                                    schema =
                                                            @Schema(
                                                                    type = "string",
                                                                    format = "uri",
                                                                    description = "The callback URL, as a form"
                                                                            + " field instead of the query"
                                                                            + " parameter"))
                                        }),
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema =
                                                @Schema(
                                                        types = {
                                                            "array", "object", "string", "number", "boolean", "null"
                                                        },
                                                        description = "One file: any JSON value, usually an array of"
                                                                + " objects")),
                                @Content(
                                        mediaType = NDJSON,
                                        schema =
                                                @Schema(
                                                        type = "string",
                                                        description =
                                                                "One file of JSON Lines: one" + " value per line"))
                            }),
            parameters = {
                @Parameter(
                        name = "dataset",
                        in = ParameterIn.QUERY,
                        description = "The dataset (table) to store the files' records in: " + DatasetName.RULE,
                        schema = @Schema(type = "string", pattern = DatasetName.PATTERN)),
                @Parameter(
                        name = "name",
                        in = ParameterIn.QUERY,
                        description = "The file's name, with a JSON or NDJSON body only (default upload.json or"
                                + " upload.ndjson)",
                        schema = @Schema(type = "string", maxLength = MAX_NAME)),
                @Parameter(
                        name = "callbackUrl",
                        in = ParameterIn.QUERY,
                        description = "Where to POST the job's final state, signed, when it ends (also as a form"
                                + " field): https, public (docs/webhooks.md); needs the tenant's webhook secret",
                        schema = @Schema(type = "string", format = "uri", maxLength = 2048)),
                @Parameter(
                        name = IdempotencyKeys.HEADER,
                        in = ParameterIn.HEADER,
                        description = "Makes retries safe: the same key from the same tenant within 24 hours"
                                + " answers the job of the first request (200, Idempotent-Replayed: true) instead"
                                + " of making another; with a different request (other files, bytes, dataset or callback URL)"
                                + " it answers 422 idempotency-key-reused. 1 to 255 printable ASCII characters,"
                                + " a UUID say",
                        schema =
                                @Schema(
                                        type = "string",
                                        minLength = 1,
                                        maxLength = IdempotencyKeys.MAX_LENGTH,
                                        pattern = "^[\\x20-\\x7E]+$"))
            })
    @ApiResponse(responseCode = "202", description = "Accepted: every file is queued")
    @ApiResponse(
            responseCode = "200",
            description = "A replay: an earlier request with the same Idempotency-Key and the same files made this"
                    + " job (shown as it is now); header Idempotent-Replayed: true. Nothing was stored again.")
    @Problems({
        NO_FILES,
        EMPTY_FILE,
        INVALID_DATASET,
        REPEATED_PARAMETER,
        MALFORMED_BODY,
        TOO_MANY_FILES,
        TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        INVALID_PARAMETER,
        IDEMPOTENCY_KEY_REUSED,
        QUOTA_EXCEEDED,
        INVALID_CALLBACK_URL,
        NO_WEBHOOK_SECRET
    })
    ResponseEntity<JobView> uploadParts(
            Caller caller,
            HttpServletRequest request,
            @RequestParam(name = "files", required = false) @Parameter(hidden = true) @Nullable
                    List<MultipartFile> parts,
            @RequestParam(required = false) @Parameter(hidden = true) @Nullable String dataset,
            @RequestParam(required = false) @Parameter(hidden = true) @Nullable String callbackUrl)
            throws IOException {
        String key = IdempotencyKeys.of(request);
        if (parts == null || parts.isEmpty()) {
            throw new ApiProblem(
                    ProblemType.NO_FILES,
                    "The request holds no files. Send each file as a multipart part named 'files'.");
        }
        if (parts.size() > limits.maxFilesPerRequest()) {
            throw new ApiProblem(ProblemType.TOO_MANY_FILES, limits.describe());
        }
        List<IncomingFile> files = new ArrayList<>(parts.size());
        for (MultipartFile part : parts) {
            String contentType = part.getContentType() == null ? "application/octet-stream" : part.getContentType();
            files.add(new IncomingFile(nameOf(part.getOriginalFilename()), contentType, part.getSize(), part));
        }
        return answer(intake.accept(caller.tenant(), files, dataset, callback(caller, callbackUrl), key));
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    @Operation(hidden = true) // documented with uploadParts, as one operation
    @Problems({
        INVALID_PARAMETER,
        INVALID_DATASET,
        REPEATED_PARAMETER,
        EMPTY_FILE,
        TOO_LARGE,
        IDEMPOTENCY_KEY_REUSED,
        QUOTA_EXCEEDED,
        INVALID_CALLBACK_URL,
        NO_WEBHOOK_SECRET
    })
    ResponseEntity<JobView> uploadBody(
            Caller caller,
            HttpServletRequest request,
            @RequestParam(required = false)
                    @Parameter(
                            description = "The file's name (JSON or NDJSON body only); default upload.json or"
                                    + " upload.ndjson")
                    @Size(max = MAX_NAME)
                    @Nullable
                    String name,
            @RequestParam(required = false)
                    @Parameter(
                            description = "The dataset (table) to store the file's records in",
                            schema = @Schema(pattern = DatasetName.PATTERN, maxLength = 63))
                    @Nullable
                    String dataset,
            @RequestParam(required = false)
                    @Parameter(description = "Where to POST the job's final state when it ends (docs/webhooks.md)")
                    @Nullable
                    String callbackUrl)
            throws IOException {
        String key = IdempotencyKeys.of(request);
        String callback = callback(caller, callbackUrl);
        MediaType type = MediaType.parseMediaType(request.getContentType());
        boolean ndjson = type.isCompatibleWith(MediaType.parseMediaType(NDJSON));
        String fileName = name != null ? nameOf(name) : ndjson ? "upload.ndjson" : "upload.json";
        long declared = request.getContentLengthLong();
        if (declared > limits.maxFileSize().toBytes()) {
            throw new ApiProblem(ProblemType.TOO_LARGE, limits.describe());
        }
        // Streamed from the request into chunk rows as it arrives; never held whole.
        InputStream body = new BoundedInputStream(
                request.getInputStream(),
                limits.maxFileSize().toBytes(),
                () -> new ApiProblem(ProblemType.TOO_LARGE, limits.describe()));
        IncomingFile file = new IncomingFile(
                fileName, type.toString(), declared < 0 ? IncomingFile.UNKNOWN_SIZE : declared, () -> body);
        return answer(intake.accept(caller.tenant(), List.of(file), dataset, callback, key));
    }

    /** The upload's callback URL, checked before anything is stored: one Stowage calls, with a secret to sign. */
    private @Nullable String callback(Caller caller, @Nullable String callbackUrl) {
        if (callbackUrl == null || callbackUrl.isEmpty()) {
            return null;
        }
        String url = callbackUrls.require(callbackUrl).toString();
        if (!secrets.exists(caller.tenant())) {
            throw new ApiProblem(
                    ProblemType.NO_WEBHOOK_SECRET,
                    "Parameter 'callbackUrl' needs the tenant's signing secret, and tenant '" + caller.tenant()
                            + "' has none yet: an ADMIN creates it with POST /api/v1/admin/webhook-secret.");
        }
        return url;
    }

    /** Keeps the last path segment of a client-supplied name, bounded in length; never used in SQL text. */
    static String nameOf(@Nullable String original) {
        if (original == null || original.isBlank()) {
            return "unnamed.json";
        }
        String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
        name = CONTROL_CHARACTERS.matcher(name).replaceAll("").strip();
        if (name.isEmpty()) {
            return "unnamed.json";
        }
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    /** 202 with the new job; 200 with the job of an earlier request with the same key, marked as a replay. */
    private static ResponseEntity<JobView> answer(JobIntake.Accepted accepted) {
        JobView job = accepted.job();
        URI location = URI.create("/api/v1/jobs/" + job.jobId());
        if (accepted.replayed()) {
            return ResponseEntity.ok()
                    .location(location)
                    .header(REPLAYED, "true")
                    .body(job);
        }
        return ResponseEntity.accepted().location(location).body(job);
    }
}
