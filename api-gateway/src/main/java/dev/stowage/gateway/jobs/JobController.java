package dev.stowage.gateway.jobs;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.model.JobStatus;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/jobs/{id}} and the paged list of jobs, newest first. */
@RestController
@RequestMapping("/api/v1/jobs")
class JobController {

    private final JobQueries jobs;

    JobController(JobQueries jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/{jobId}")
    JobView job(Caller caller, @PathVariable UUID jobId) {
        return jobs.find(caller.tenant(), jobId).orElseThrow(() -> ApiProblem.notFound("job", jobId));
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
