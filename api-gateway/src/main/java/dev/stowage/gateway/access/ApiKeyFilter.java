// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets an {@code /api/**} request through only with a valid key, and {@code /api/v1/admin/**} only with an ADMIN
 * key. Runs before the request body is read, so an upload without a key costs the server nothing. Answers are
 * RFC 9457 problems like every other error.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final String BEARER = "Bearer ";
    /** Paths that need an ADMIN key. */
    static final String ADMIN_PATHS = "/api/v1/admin/";

    private final ApiKeys keys;
    private final JsonMapper json;

    ApiKeyFilter(ApiKeys keys, JsonMapper json) {
        this.keys = keys;
        this.json = json;
    }

    /**
     * Only the API needs a key: static pages, Swagger UI ({@code /swagger-ui*}), the OpenAPI document
     * ({@code /v3/api-docs*}) and the actuator's exposed endpoints (health, info and prometheus only) are public, and
     * hold no tenant's data. Every endpoint with data lives under {@code /api/}, so a new one is protected without
     * anyone having to remember (and {@code OpenApiDocumentIT} fails for a controller mapped elsewhere). Decided on
     * the path as the servlet container normalized and decoded it, so that {@code //api/…}, {@code /x/../api/…} or
     * {@code /%61pi/…} cannot slip past.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals("/api") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(response, "This API needs a key: send 'Authorization: Bearer <key>'.");
            return;
        }
        Optional<Caller> caller;
        try {
            caller = keys.authenticate(header.substring(BEARER.length()).strip());
        } catch (DataAccessException e) {
            log.warn("Could not check an API key: {}", e.toString());
            write(
                    response,
                    new ApiProblem(
                            ProblemType.DATABASE_UNAVAILABLE,
                            "The key could not be checked because the database is unavailable. Try again shortly."));
            return;
        }
        if (caller.isEmpty()) {
            unauthorized(response, "The API key is unknown or revoked.");
            return;
        }
        if (path(request).startsWith(ADMIN_PATHS) && !caller.get().isAdmin()) {
            write(
                    response,
                    new ApiProblem(
                            ProblemType.FORBIDDEN,
                            "This endpoint needs an ADMIN key; the key sent has the role "
                                    + caller.get().role() + "."));
            return;
        }
        request.setAttribute(Caller.class.getName(), caller.get());
        chain.doFilter(request, response);
    }

    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    private void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stowage\"");
        write(response, new ApiProblem(ProblemType.UNAUTHORIZED, detail));
    }

    private void write(HttpServletResponse response, ApiProblem problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ApiProblem.TYPE_BASE + problem.slug());
        body.put("title", ProblemType.ofSlug(problem.slug()).orElseThrow().title());
        body.put("status", problem.status().value());
        body.put("detail", problem.getMessage());
        response.setStatus(problem.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
