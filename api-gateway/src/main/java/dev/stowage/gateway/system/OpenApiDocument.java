// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.1 document's head, served at {@code /v3/api-docs} (Swagger UI: {@code /swagger-ui.html}); springdoc
 * adds the operations from the controllers, {@link ProblemResponses} their problems. The server is this gateway,
 * relative, so that the document is the same wherever it is served from (and equal to docs/openapi.json).
 */
@Configuration
class OpenApiDocument {

    static {
        // Jackson 3's tree (a file's analysis report) is a JSON object, not a bean with isArray() and the like.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema().description("A JSON object"));
    }

    @Bean
    OpenAPI stowageOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Stowage API")
                        .version("v1")
                        .description("Upload JSON and NDJSON files as jobs; workers store each file in PostgreSQL,"
                                + " as table rows when its records are alike, as JSONB documents otherwise. Every"
                                + " /api call needs an API key (Authorization: Bearer <key>). Every error is an"
                                + " application/problem+json answer whose 'type' is one of the problem types of"
                                + " docs/errors.md."))
                .servers(List.of(new Server().url("/").description("This gateway")));
    }
}
