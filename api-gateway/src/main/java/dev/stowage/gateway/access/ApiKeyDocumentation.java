// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import dev.stowage.gateway.system.ProblemResponses;
import dev.stowage.gateway.system.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.stereotype.Component;

/**
 * The key checks of {@link ApiKeyFilter} in the OpenAPI document: the bearer scheme (Swagger UI's Authorize button
 * sends it), required by every {@code /api} operation, and what the filter answers: 401 and 503 to every call, 403
 * to {@code /api/v1/admin/**} calls with a USER key.
 */
@Component
class ApiKeyDocumentation implements OpenApiCustomizer {

    static final String SCHEME = "apiKey";

    static {
        // The caller comes from the key, not from a parameter: keep it out of every operation's parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Override
    public void customise(OpenAPI api) {
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        components.addSecuritySchemes(
                SCHEME,
                new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key, sent as 'Authorization: Bearer <key>'. Keys are configured with"
                                + " STOWAGE_API_KEYS or created with POST /api/v1/admin/api-keys; the admin"
                                + " endpoints need an ADMIN key."));
        if (api.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation operation : path.getValue().readOperations()) {
                operation.setSecurity(List.of(new SecurityRequirement().addList(SCHEME)));
                List<ProblemType> problems =
                        new ArrayList<>(List.of(ProblemType.UNAUTHORIZED, ProblemType.DATABASE_UNAVAILABLE));
                if (path.getKey().startsWith(ApiKeyFilter.ADMIN_PATHS)) {
                    problems.add(ProblemType.FORBIDDEN);
                }
                ProblemResponses.add(operation, problems);
            }
        }
    }
}
