// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.console;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.access.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/me}: the tenant, role and key name of the key sent. The console signs in with it (a key that
 * answers 200 is valid) and shows the ADMIN pages only to an ADMIN key; the API refuses them to others anyway.
 */
@RestController
@Tag(name = "API keys")
class MeController {

    record Me(String tenant, Role role, String keyName) {}

    @GetMapping("/api/v1/me")
    @Operation(operationId = "me", summary = "Whose key this is: its tenant, role and name")
    Me me(Caller caller) {
        return new Me(caller.tenant(), caller.role(), caller.keyName());
    }
}
