package dev.stowage.gateway.upload;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.jobs.JobView;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.UploadLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
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
class UploadController {

    static final String NDJSON = "application/x-ndjson";
    /** Characters a client-supplied file name loses. */
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}");

    private final JobIntake intake;
    private final UploadLimits limits;

    UploadController(JobIntake intake, UploadLimits limits) {
        this.intake = intake;
        this.limits = limits;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<JobView> uploadParts(
            Caller caller,
            @RequestParam(name = "files", required = false) @Nullable List<MultipartFile> parts,
            @RequestParam(required = false) @Nullable String dataset)
            throws IOException {
        if (parts == null || parts.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "no-files",
                    "The request holds no files. Send each file as a multipart part named 'files'.");
        }
        if (parts.size() > limits.maxFilesPerRequest()) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too-many-files", limits.describe());
        }
        List<IncomingFile> files = new ArrayList<>(parts.size());
        for (MultipartFile part : parts) {
            String contentType = part.getContentType() == null ? "application/octet-stream" : part.getContentType();
            files.add(new IncomingFile(nameOf(part.getOriginalFilename()), contentType, part.getSize(), part));
        }
        return accepted(intake.accept(caller.tenant(), files, dataset));
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    ResponseEntity<JobView> uploadBody(
            Caller caller,
            HttpServletRequest request,
            @RequestParam(required = false) @Nullable String name,
            @RequestParam(required = false) @Nullable String dataset)
            throws IOException {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        boolean ndjson = type.isCompatibleWith(MediaType.parseMediaType(NDJSON));
        String fileName = name != null ? nameOf(name) : ndjson ? "upload.ndjson" : "upload.json";
        long declared = request.getContentLengthLong();
        if (declared > limits.maxFileSize().toBytes()) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too-large", limits.describe());
        }
        // Streamed from the request into chunk rows as it arrives; never held whole.
        InputStream body = new BoundedInputStream(
                request.getInputStream(),
                limits.maxFileSize().toBytes(),
                () -> new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too-large", limits.describe()));
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
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    private static ResponseEntity<JobView> accepted(JobView job) {
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/jobs/" + job.jobId()))
                .body(job);
    }
}
