package dev.stowage.gateway.admin;

import dev.stowage.gateway.access.Caller;
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
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    DeadLetters.DeadLetterPage list(
            Caller caller,
            @RequestParam(required = false) @Nullable UUID jobId,
            @RequestParam(required = false) @Nullable @Size(max = 100) String errorClass,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return deadLetters.list(caller.tenant(), jobId, errorClass, page, size);
    }

    @PostMapping("/{fileId}/replay")
    DeadLetters.Replay replayOne(Caller caller, @PathVariable UUID fileId) {
        return deadLetters.replayOne(caller.tenant(), fileId);
    }

    /** Replays every failed file, or those of one job and/or one error class. */
    @PostMapping("/replay")
    DeadLetters.Replay replayAll(
            Caller caller,
            @RequestParam(required = false) @Nullable UUID jobId,
            @RequestParam(required = false) @Nullable @Size(max = 100) String errorClass) {
        return deadLetters.replay(caller.tenant(), null, jobId, errorClass);
    }
}
