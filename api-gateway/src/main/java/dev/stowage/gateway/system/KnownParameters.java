// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.multipart.MultipartRequest;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses, before an {@code /api/**} endpoint runs, a parameter it does not take ({@code ?datset=x} would otherwise
 * be ignored and answer every dataset) and a single-valued one given more than once (Spring would join
 * {@code status=QUEUED&status=DONE} into one value that matches nothing). Query parameters, form fields and
 * multipart parts all count: they are what {@code @RequestParam} reads. The accepted names are read from the
 * endpoint's {@code @RequestParam}s, so a new endpoint is covered without a list to keep.
 */
@Configuration
class KnownParameters implements WebMvcConfigurer, HandlerInterceptor {

    /** Stands for "every name": an endpoint that takes a {@code @RequestParam Map} reads whatever is sent. */
    private static final String ANY = "*";

    /** Per endpoint: parameter name → whether it takes several values. In declaration order, for the answer. */
    private final Map<Method, Map<String, Boolean>> accepted = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Map<String, Boolean> takes = accepted.computeIfAbsent(method.getMethod(), name -> parameters(method));
        if (takes.containsKey(ANY)) {
            return true;
        }
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            check(request, takes, parameter.getKey(), parameter.getValue().length);
        }
        if (request instanceof MultipartRequest multipart) {
            for (Map.Entry<String, ? extends List<?>> part :
                    multipart.getMultiFileMap().entrySet()) {
                check(request, takes, part.getKey(), part.getValue().size());
            }
        }
        return true;
    }

    private static void check(HttpServletRequest request, Map<String, Boolean> takes, String name, int values) {
        Boolean multiValued = takes.get(name);
        if (multiValued == null) {
            String endpoint = request.getMethod() + " " + request.getRequestURI();
            throw new ApiProblem(
                    ProblemType.UNKNOWN_PARAMETER,
                    (endpoint.length() > ApiProblem.SHOWN_CHARACTERS ? request.getMethod() + " this path" : endpoint)
                            + " takes no parameter " + ApiProblem.shown(name) + ". "
                            + (takes.isEmpty()
                                    ? "It takes none."
                                    : "It takes: " + String.join(", ", takes.keySet()) + "."));
        }
        if (!multiValued && values > 1) {
            throw new ApiProblem(
                    ProblemType.REPEATED_PARAMETER,
                    "Parameter " + ApiProblem.shown(name) + " was given " + values + " times: give it once.");
        }
    }

    private static Map<String, Boolean> parameters(HandlerMethod method) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestParam.class)) {
                if (Map.class.isAssignableFrom(parameter.getParameterType())) {
                    return Map.of(ANY, true);
                }
                names.put(ParameterRules.name(parameter), ParameterRules.multiValued(parameter));
            }
        }
        return names;
    }
}
