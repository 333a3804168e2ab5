// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Turns the problems each endpoint can answer into its {@code application/problem+json} responses in the OpenAPI
 * document: one response per status, with an example of each problem type. An endpoint's list is its
 * {@link Problems} annotation plus {@link #EVERY_CALL}; the key checks add theirs through {@link #add}. Every
 * {@link ProblemType} is in {@code components/examples}, those no endpoint declares (an unknown path, a wrong
 * method) included, so the document lists them all.
 */
@Component
public class ProblemResponses implements OpenApiCustomizer {

    /** What any {@code /api} endpoint can answer whatever it does: its parameters are checked, it may fail. */
    static final Set<ProblemType> EVERY_CALL =
            EnumSet.of(ProblemType.UNKNOWN_PARAMETER, ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL_ERROR);

    static final String SCHEMA = "Problem";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final RequestMappingHandlerMapping mappings;

    ProblemResponses(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    @Override
    public void customise(OpenAPI api) {
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        components.addSchemas(SCHEMA, problemSchema());
        for (ProblemType type : ProblemType.values()) {
            components.addExamples(type.slug(), example(type));
        }
        if (api.getPaths() == null) {
            return;
        }
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                mappings.getHandlerMethods().entrySet()) {
            Problems declared = mapping.getValue().getMethodAnnotation(Problems.class);
            EnumSet<ProblemType> problems = EnumSet.copyOf(EVERY_CALL);
            if (declared != null) {
                problems.addAll(Arrays.asList(declared.value()));
            }
            for (Operation operation : operations(api, mapping.getKey())) {
                add(operation, problems);
            }
        }
    }

    /** The document's operations of one mapping (two handler methods may share one: the upload's two forms). */
    private static List<Operation> operations(OpenAPI api, RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        return info.getPatternValues().stream()
                .map(pattern -> api.getPaths().get(pattern))
                .filter(item -> item != null)
                .flatMap(item -> item.readOperationsMap().entrySet().stream())
                .filter(operation -> methods.contains(
                        RequestMethod.valueOf(operation.getKey().name())))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Adds problems to an operation's responses, beside what is there: one response per status. */
    public static void add(Operation operation, Collection<ProblemType> problems) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        Map<Integer, List<ProblemType>> byStatus = problems.stream()
                .collect(Collectors.groupingBy(type -> type.status().value(), TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, types) -> {
            ApiResponse response =
                    operation.getResponses().computeIfAbsent(String.valueOf(status), code -> new ApiResponse());
            if (response.getContent() == null) {
                response.setContent(new Content());
            }
            MediaType problemJson = response.getContent()
                    .computeIfAbsent(PROBLEM_JSON, media -> new MediaType().schema(new Schema<>().$ref(SCHEMA)));
            if (problemJson.getExamples() == null) {
                problemJson.setExamples(new LinkedHashMap<>());
            }
            for (ProblemType type : types) {
                problemJson.getExamples().put(type.slug(), new Example().$ref(type.slug()));
            }
            response.setDescription(problemJson.getExamples().keySet().stream()
                    .map(slug ->
                            ProblemType.ofSlug(slug).map(ProblemType::title).orElse(slug) + " (" + slug + ")")
                    .sorted()
                    .collect(Collectors.joining("; ")));
        });
    }

    private static Example example(ProblemType type) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", type.type().toString());
        value.put("title", type.title());
        value.put("status", type.status().value());
        value.put("detail", type.example());
        return new Example().summary(type.title()).value(value);
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An RFC 9457 problem: branch on 'type'; 'detail' says what was wrong and how to fix it.")
                .addProperty(
                        "type",
                        new StringSchema()
                                .format("uri")
                                .description("Stable: " + ApiProblem.TYPE_BASE + "<slug>, see docs/errors.md."))
                .addProperty("title", new StringSchema().description("The same for every problem of this type."))
                .addProperty("status", new IntegerSchema().description("The HTTP status of the answer."))
                .addProperty(
                        "detail",
                        new StringSchema()
                                .maxLength(ProblemAdvice.MAX_DETAIL)
                                .description("What was wrong in this request (what was given, shortened) and what"
                                        + " is allowed."))
                .addProperty(
                        "instance", new StringSchema().format("uri-reference").description("The request's path."))
                .addProperty(
                        "limit",
                        new StringSchema()
                                ._enum(List.of("waiting-files", "uploads-per-minute"))
                                .description("quota-exceeded only: the tenant's limit that refused the upload."))
                .addProperty(
                        "current",
                        new IntegerSchema()
                                .format("int64")
                                .description("quota-exceeded only: the tenant's files waiting, or uploads in the"
                                        + " last 60 seconds, without this upload."))
                .addProperty(
                        "maximum",
                        new IntegerSchema().format("int64").description("quota-exceeded only: the limit's value."))
                .addProperty(
                        "variable",
                        new StringSchema()
                                .description("quota-exceeded only: the environment variable that sets the limit."))
                .required(List.of("type", "title", "status", "detail"));
    }
}
