// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import static dev.stowage.gateway.system.ProblemType.INVALID_BODY;
import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.MALFORMED_BODY;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;
import static dev.stowage.gateway.system.ProblemType.UNSUPPORTED_MEDIA_TYPE;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/api-keys}: an ADMIN adds and revokes its tenant's keys without a restart. The new key is in
 * the answer once and never again; only its hash is stored.
 */
@RestController
@RequestMapping("/api/v1/admin/api-keys")
@Tag(name = "API keys", description = "Add, list and revoke the tenant's keys (ADMIN keys).")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    /** The pattern's message is what an answer says the name must be. */
    record KeyRequest(
            @NotNull
            @Pattern(
                    regexp = "[A-Za-z0-9 ._-]{1,100}",
                    message = "1 to 100 letters, digits, spaces, dots, underscores or hyphens")
            @Schema(description = "What the key is for, e.g. the client's name", example = "nightly-import")
            String name,

            @NotNull @Schema(description = "USER uploads and reads; ADMIN may also manage keys and dead letters")
            Role role) {}

    @PostMapping
    @Operation(
            operationId = "createApiKey",
            summary = "Add a key for the tenant",
            description = "The answer holds the key itself, once: only its hash is kept.")
    @ApiResponse(responseCode = "201", description = "The new key and its id (Location: the key's path)")
    @Problems({MALFORMED_BODY, INVALID_BODY, UNSUPPORTED_MEDIA_TYPE})
    ResponseEntity<ApiKeys.NewKey> create(Caller caller, @Valid @RequestBody KeyRequest request) {
        ApiKeys.NewKey key = keys.create(caller.tenant(), request.role(), request.name());
        return ResponseEntity.created(
                        URI.create("/api/v1/admin/api-keys/" + key.info().id()))
                .body(key);
    }

    @GetMapping
    @Operation(operationId = "listApiKeys", summary = "The tenant's keys, revoked ones included, never the keys")
    @ApiResponse(responseCode = "200", description = "Every key of the tenant")
    List<ApiKeys.KeyInfo> list(Caller caller) {
        return keys.list(caller.tenant());
    }

    @DeleteMapping("/{id}")
    @Operation(
            operationId = "revokeApiKey",
            summary = "Revoke a key",
            description = "It stops working with the next request; revoking twice changes nothing.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    ResponseEntity<Void> revoke(Caller caller, @PathVariable @Parameter(description = "The key's id") UUID id) {
        if (!keys.revoke(caller.tenant(), id)) {
            throw ApiProblem.notFound("API key", id);
        }
        return ResponseEntity.noContent().build();
    }
}
