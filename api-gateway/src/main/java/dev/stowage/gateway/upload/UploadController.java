// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import static dev.stowage.gateway.system.ProblemType.EMPTY_FILE;
import static dev.stowage.gateway.system.ProblemType.INVALID_DATASET;
import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.MALFORMED_BODY;
import static dev.stowage.gateway.system.ProblemType.NO_FILES;
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

    private final JobIntake intake;
    private final UploadLimits limits;

    UploadController(JobIntake intake, UploadLimits limits) {
        this.intake = intake;
        this.limits = limits;
    }

    /** Documents the whole operation, both forms: the OpenAPI document has one operation per path and method. */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            operationId = "uploadJob",
            summary = "Upload files as a job",
            description = "Send many files as multipart/form-data (each a part named 'files'), or one file as the"
                    + " body (application/json or application/x-ndjson, its name in ?name=). The answer comes as"
                    + " soon as the files are stored in the queue's database: 202 with the job, every file QUEUED;"
                    + " follow the Location header. With a dataset, the files' records go into that table.",
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
                                                                            + " instead of the query parameter"))
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
                        schema = @Schema(type = "string", maxLength = MAX_NAME))
            })
    @ApiResponse(responseCode = "202", description = "Accepted: every file is queued")
    @Problems({
        NO_FILES,
        EMPTY_FILE,
        INVALID_DATASET,
        REPEATED_PARAMETER,
        MALFORMED_BODY,
        TOO_MANY_FILES,
        TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE
    })
    ResponseEntity<JobView> uploadParts(
            Caller caller,
            @RequestParam(name = "files", required = false) @Parameter(hidden = true) @Nullable
                    List<MultipartFile> parts,
            @RequestParam(required = false) @Parameter(hidden = true) @Nullable String dataset)
            throws IOException {
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
        return accepted(intake.accept(caller.tenant(), files, dataset));
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    @Operation(hidden = true) // documented with uploadParts, as one operation
    @Problems({INVALID_PARAMETER, INVALID_DATASET, REPEATED_PARAMETER, EMPTY_FILE, TOO_LARGE})
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
                    String dataset)
            throws IOException {
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
        return accepted(intake.accept(caller.tenant(), List.of(file), dataset));
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

    private static ResponseEntity<JobView> accepted(JobView job) {
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/jobs/" + job.jobId()))
                .body(job);
    }
}
