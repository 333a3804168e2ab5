package dev.stowage.gateway.jobs;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.model.JobStatus;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/jobs/{id}} and the paged list of jobs, newest first. A job's view carries an {@code ETag}:
 * with {@code If-None-Match} a client that polls learns "unchanged" (304) without a body.
 */
@RestController
@RequestMapping("/api/v1/jobs")
class JobController {

    private final JobQueries jobs;
    private final JobViews views;

    JobController(JobQueries jobs, JobViews views) {
        this.jobs = jobs;
        this.views = views;
    }

    @GetMapping("/{jobId}")
    ResponseEntity<byte[]> job(
            Caller caller,
            @PathVariable UUID jobId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        JobViews.Rendered view =
                views.view(caller.tenant(), jobId).orElseThrow(() -> ApiProblem.notFound("job", jobId));
        if (ifNoneMatch != null && ifNoneMatch.contains(view.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(view.etag())
                    .cacheControl(CacheControl.noCache())
                    .build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .eTag(view.etag())
                .cacheControl(CacheControl.noCache())
                .body(view.json());
    }

    /** A page of jobs without their per-file lists; follow a job's id for those. */
    @GetMapping
    JobPage list(
            Caller caller,
            @RequestParam(required = false) @Nullable JobStatus status,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return new JobPage(page, size, jobs.page(caller.tenant(), status, page, size));
    }

    record JobPage(int page, int size, List<JobView> jobs) {}
}
