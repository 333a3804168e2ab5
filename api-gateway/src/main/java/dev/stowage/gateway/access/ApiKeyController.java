package dev.stowage.gateway.access;

import dev.stowage.gateway.system.ApiProblem;
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
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record KeyRequest(
            @NotNull @Pattern(regexp = "[A-Za-z0-9 ._-]{1,100}")
            String name,

            @NotNull Role role) {}

    @PostMapping
    ResponseEntity<ApiKeys.NewKey> create(Caller caller, @Valid @RequestBody KeyRequest request) {
        ApiKeys.NewKey key = keys.create(caller.tenant(), request.role(), request.name());
        return ResponseEntity.created(
                        URI.create("/api/v1/admin/api-keys/" + key.info().id()))
                .body(key);
    }

    @GetMapping
    List<ApiKeys.KeyInfo> list(Caller caller) {
        return keys.list(caller.tenant());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(Caller caller, @PathVariable UUID id) {
        if (!keys.revoke(caller.tenant(), id)) {
            throw ApiProblem.notFound("API key", id);
        }
        return ResponseEntity.noContent().build();
    }
}
