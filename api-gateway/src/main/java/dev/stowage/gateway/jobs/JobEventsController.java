// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * {@code GET /api/v1/jobs/{id}/events}: the job's progress as Server-Sent Events (docs/events.md). The frames are
 * written by {@link JobEvent} and sent through a plain {@link ResponseBodyEmitter}, so that one event's bytes are
 * shared by all its streams instead of being encoded again for each.
 */
@RestController
@Tag(name = "Jobs")
class JobEventsController {

    private static final MediaType EVENT_STREAM = MediaType.TEXT_EVENT_STREAM;

    private final JobWatcher watcher;

    JobEventsController(JobWatcher watcher) {
        this.watcher = watcher;
    }

    /** 204 when the job has ended and the client resumes with its final event: nothing more will come. */
    @GetMapping("/api/v1/jobs/{jobId}/events")
    @Operation(
            operationId = "jobEvents",
            summary = "A job's progress pushed as Server-Sent Events until it ends",
            description = "The first event is the whole state, each later one what changed (with files=true, the"
                    + " files that changed too), the last one (event: end) the final state; then the stream closes. Event ids are the job"
                    + " view's entity tag: reconnect with Last-Event-ID to resume. A comment every 15 s keeps"
                    + " proxies from closing an idle stream.")
    @ApiResponse(
            responseCode = "200",
            description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(
            responseCode = "204",
            description = "The job has ended and Last-Event-ID is its final event: nothing more will come",
            content = @Content)
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    ResponseEntity<ResponseBodyEmitter> events(
            Caller caller,
            @PathVariable @Parameter(description = "The job's id, as the upload answered it") UUID jobId,
            @RequestHeader(name = "Last-Event-ID", required = false)
                    @Parameter(description = "The id of the last event received, to resume after it")
                    @Nullable
                    String lastEventId,
            @RequestParam(defaultValue = "false")
                    @Parameter(
                            description = "true: each event also lists the files that changed since the one before"
                                    + " (the first event: all of them). Without it an event is the job's status and"
                                    + " counts, a few hundred bytes whatever the job's size.")
                    boolean files) {
        ResponseBodyEmitter stream = watcher.open(caller.tenant(), jobId, lastEventId, files);
        if (stream == null) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok()
                .contentType(EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                // nginx and similar proxies would otherwise buffer the stream and deliver events late
                .header("X-Accel-Buffering", "no")
                .body(stream);
    }
}
