package dev.stowage.gateway.jobs;

import dev.stowage.gateway.access.Caller;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * {@code GET /api/v1/jobs/{id}/events}: the job's progress as Server-Sent Events (docs/events.md). The frames are
 * written by {@link JobEvent} and sent through a plain {@link ResponseBodyEmitter}, so that one event's bytes are
 * shared by all its streams instead of being encoded again for each.
 */
@RestController
class JobEventsController {

    private static final MediaType EVENT_STREAM = MediaType.TEXT_EVENT_STREAM;

    private final JobWatcher watcher;

    JobEventsController(JobWatcher watcher) {
        this.watcher = watcher;
    }

    /** 204 when the job has ended and the client resumes with its final event: nothing more will come. */
    @GetMapping("/api/v1/jobs/{jobId}/events")
    ResponseEntity<ResponseBodyEmitter> events(
            Caller caller,
            @PathVariable UUID jobId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        ResponseBodyEmitter stream = watcher.open(caller.tenant(), jobId, lastEventId);
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
