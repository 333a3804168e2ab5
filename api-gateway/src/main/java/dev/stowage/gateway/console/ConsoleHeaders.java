// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's pages and scripts (everything outside {@code /api/} and {@code /actuator/}) with a
 * Content-Security-Policy that allows only the gateway's own scripts, styles and connections: no inline script or
 * style, no other origin, no framing. A file name or error message that slipped into the page as markup could then
 * still not run script, although the console only ever writes data as text.
 */
@Component
class ConsoleHeaders extends OncePerRequestFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        // Revalidated on each load (304 while unchanged), so a new version of the console is never mixed with an old.
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
