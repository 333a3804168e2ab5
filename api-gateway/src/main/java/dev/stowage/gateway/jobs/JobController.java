// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import static dev.stowage.gateway.system.ProblemType.INVALID_DATASET;
import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.JOB_ENDED;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;
import static dev.stowage.gateway.system.ProblemType.REPEATED_PARAMETER;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.datasets.DatasetName;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.Problems;
import dev.stowage.model.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/jobs/{id}} and the paged list of jobs, newest first, and cancelling a job. A job's view carries
 * an {@code ETag}: with {@code If-None-Match} a client that polls learns "unchanged" (304) without a body.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Upload files as a job and follow its progress.")
class JobController {

    private final JobQueries jobs;
    private final JobViews views;
    private final JobCancellation cancellation;

    JobController(JobQueries jobs, JobViews views, JobCancellation cancellation) {
        this.jobs = jobs;
        this.views = views;
        this.cancellation = cancellation;
    }

    @GetMapping("/{jobId}")
    @Operation(
            operationId = "getJob",
            summary = "A job with its progress and every file's status",
            description =
                    "Answers with an ETag; send it back as If-None-Match to get 304 while the job is" + " unchanged.")
    @ApiResponse(
            responseCode = "200",
            description = "The job",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = JobView.class)))
    @ApiResponse(
            responseCode = "304",
            description = "Unchanged since the ETag sent as If-None-Match",
            content = @Content)
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    ResponseEntity<byte[]> job(
            Caller caller,
            @PathVariable @Parameter(description = "The job's id, as the upload answered it") UUID jobId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                    @Parameter(description = "The ETag of a view already held")
                    @Nullable
                    String ifNoneMatch) {
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

    @PostMapping("/{jobId}/cancel")
    @Operation(
            operationId = "cancelJob",
            summary = "Cancel a job: its files not yet started end CANCELLED, files being processed finish",
            description = "Idempotent: cancelling a cancelled job answers its state again. The job's status is"
                    + " CANCELLED once none of its files runs, PROCESSING until then; cancelledAt says when the"
                    + " cancel took effect.")
    @ApiResponse(
            responseCode = "200",
            description = "The job as the cancel left it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = JobView.class)))
    @Problems({INVALID_PARAMETER, NOT_FOUND, JOB_ENDED})
    JobView cancel(
            Caller caller,
            @PathVariable @Parameter(description = "The job's id, as the upload answered it") UUID jobId) {
        cancellation.cancel(caller.tenant(), jobId);
        return jobs.find(caller.tenant(), jobId).orElseThrow(() -> ApiProblem.notFound("job", jobId));
    }

    /** A page of jobs without their per-file lists; follow a job's id for those. */
    @GetMapping
    @Operation(
            operationId = "listJobs",
            summary = "The tenant's jobs, newest first, without their files",
            description = "Filter by status and/or dataset; follow a job's id for its files.")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @Problems({INVALID_PARAMETER, REPEATED_PARAMETER, INVALID_DATASET})
    JobPage list(
            Caller caller,
            @RequestParam(required = false) @Parameter(description = "Only jobs with this status") @Nullable
                    JobStatus status,
            @RequestParam(required = false)
                    @Parameter(
                            description = "Only jobs that store into this dataset",
                            schema = @Schema(pattern = DatasetName.PATTERN, maxLength = 63))
                    @Nullable
                    String dataset,
            @RequestParam(defaultValue = "0") @Parameter(description = "Page number, from 0") @Min(0) @Max(100_000)
                    int page,
            @RequestParam(defaultValue = "20") @Parameter(description = "Jobs per page") @Min(1) @Max(100) int size) {
        // An empty filter (a form's "any") filters nothing, like an empty status.
        String onlyDataset = dataset == null || dataset.isEmpty() ? null : DatasetName.require("dataset", dataset);
        return new JobPage(page, size, jobs.page(caller.tenant(), status, onlyDataset, page, size));
    }

    record JobPage(int page, int size, List<JobView> jobs) {}
}
