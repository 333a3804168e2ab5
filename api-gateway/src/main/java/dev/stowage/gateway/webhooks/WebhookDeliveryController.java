// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/jobs/{id}/deliveries}: whether the job's webhook was delivered, and why not if not. */
@RestController
@Tag(name = "Webhooks", description = "Signed notifications when a job ends.")
class WebhookDeliveryController {

    private final WebhookDeliveries deliveries;

    WebhookDeliveryController(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    record JobDeliveries(UUID jobId, @Nullable String callbackUrl, List<WebhookDeliveries.Delivery> deliveries) {}

    @GetMapping("/api/v1/jobs/{jobId}/deliveries")
    @Operation(
            operationId = "listWebhookDeliveries",
            summary = "The job's webhook delivery: its status, tries and last error",
            description = "Empty until the job has ended (and for a job uploaded without a callbackUrl).")
    @ApiResponse(responseCode = "200", description = "The job's deliveries")
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    JobDeliveries list(
            Caller caller,
            @PathVariable @Parameter(description = "The job's id, as the upload answered it") UUID jobId) {
        Optional<String> callback =
                deliveries.callbackOf(caller.tenant(), jobId).orElseThrow(() -> ApiProblem.notFound("job", jobId));
        return new JobDeliveries(jobId, callback.orElse(null), deliveries.ofJob(jobId));
    }
}
