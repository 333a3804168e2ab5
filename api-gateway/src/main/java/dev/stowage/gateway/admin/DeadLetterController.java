// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.admin;

import static dev.stowage.gateway.system.ProblemType.BROKER_UNAVAILABLE;
import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.JOB_CANCELLED;
import static dev.stowage.gateway.system.ProblemType.NOT_DEAD_LETTERED;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;
import static dev.stowage.gateway.system.ProblemType.REPEATED_PARAMETER;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/dead-letters}: review failed files and replay one, or all that match a filter. */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
@Tag(name = "Dead letters", description = "Files that failed for good: why, and replaying them (ADMIN keys).")
class DeadLetterController {

    private static final String JOB = "Only files of this job";
    private static final String ERROR_CLASS = "Only files that failed with this error class, e.g. LockTimeout";

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    @Operation(
            operationId = "listDeadLetters",
            summary = "Failed files, last failed first, with the error that failed them",
            description = "Also says how many messages the dead-letter queue holds.")
    @ApiResponse(responseCode = "200", description = "A page of failed files")
    @Problems({INVALID_PARAMETER, REPEATED_PARAMETER, BROKER_UNAVAILABLE})
    DeadLetters.DeadLetterPage list(
            Caller caller,
            @RequestParam(required = false) @Parameter(description = JOB) @Nullable UUID jobId,
            @RequestParam(required = false) @Parameter(description = ERROR_CLASS) @Nullable @Size(max = 100)
                    String errorClass,
            @RequestParam(defaultValue = "0") @Parameter(description = "Page number, from 0") @Min(0) @Max(100_000)
                    int page,
            @RequestParam(defaultValue = "50") @Parameter(description = "Files per page") @Min(1) @Max(500) int size) {
        return deadLetters.list(caller.tenant(), jobId, errorClass, page, size);
    }

    @PostMapping("/{fileId}/replay")
    @Operation(
            operationId = "replayDeadLetter",
            summary = "Replay one failed file with a fresh retry budget",
            description = "The file is QUEUED again and its message leaves the dead-letter queue.")
    @ApiResponse(responseCode = "200", description = "How many files were replayed (1)")
    @Problems({INVALID_PARAMETER, NOT_FOUND, NOT_DEAD_LETTERED, JOB_CANCELLED, BROKER_UNAVAILABLE})
    DeadLetters.Replay replayOne(
            Caller caller, @PathVariable @Parameter(description = "The failed file's id") UUID fileId) {
        return deadLetters.replayOne(caller.tenant(), fileId);
    }

    /** Replays every failed file, or those of one job and/or one error class. */
    @PostMapping("/replay")
    @Operation(
            operationId = "replayDeadLetters",
            summary = "Replay every failed file, or those of one job and/or one error class")
    @ApiResponse(responseCode = "200", description = "How many files were replayed (0 when none matched)")
    @Problems({INVALID_PARAMETER, REPEATED_PARAMETER, BROKER_UNAVAILABLE})
    DeadLetters.Replay replayAll(
            Caller caller,
            @RequestParam(required = false) @Parameter(description = JOB) @Nullable UUID jobId,
            @RequestParam(required = false) @Parameter(description = ERROR_CLASS) @Nullable @Size(max = 100)
                    String errorClass) {
        return deadLetters.replay(caller.tenant(), null, jobId, errorClass);
    }
}
