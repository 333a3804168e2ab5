// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import dev.stowage.gateway.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/admin/webhook-secret}: the tenant's signing secret, made or replaced, shown once. */
@RestController
@Tag(name = "Webhooks", description = "Signed notifications when a job ends.")
class WebhookSecretController {

    private final WebhookSecrets secrets;

    WebhookSecretController(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @PostMapping("/api/v1/admin/webhook-secret")
    @Operation(
            operationId = "rotateWebhookSecret",
            summary = "Make the tenant's webhook signing secret, or replace it",
            description = "The answer holds the secret, once. Deliveries signed from now on use it; keep the old one"
                    + " accepted on the receiver until the deliveries in flight are done.")
    @ApiResponse(responseCode = "201", description = "The new secret")
    ResponseEntity<WebhookSecrets.NewSecret> rotate(Caller caller) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .cacheControl(CacheControl.noStore())
                .body(secrets.rotate(caller.tenant()));
    }
}
