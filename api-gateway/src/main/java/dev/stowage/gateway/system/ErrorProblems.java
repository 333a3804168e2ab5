// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container forwards to {@code /error} (an exception that escaped a filter, a status sent without
 * a body, or {@code /error} asked for directly) is a problem too, instead of Spring Boot's own error JSON. Errors
 * inside the controllers never come here: {@link ProblemAdvice} answers them.
 */
@RestController
class ErrorProblems implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorProblems.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ProblemDetail error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String path = Objects.toString(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), "/error");
        String shown = path.length() <= ApiProblem.SHOWN_CHARACTERS
                ? path
                : path.substring(0, ApiProblem.SHOWN_CHARACTERS) + "…";
        int status = code instanceof Integer number ? number : 404;
        if (status == 404) {
            return ProblemAdvice.problem(
                    ProblemType.UNKNOWN_ENDPOINT,
                    "There is no endpoint at " + shown + ". The API's endpoints are described at /v3/api-docs and"
                            + " /swagger-ui.html.",
                    path);
        }
        ProblemType type = Arrays.stream(ProblemType.values())
                .filter(candidate -> candidate.status().value() == status && status < 500)
                .findFirst()
                .orElse(ProblemType.INTERNAL_ERROR);
        if (type == ProblemType.INTERNAL_ERROR) {
            Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            log.error("Unexpected error answering {}", shown, error instanceof Throwable t ? t : null);
            return ProblemAdvice.problem(type, type.example(), path);
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String reason = message == null || message.toString().isBlank()
                ? type.title()
                : ProblemAdvice.shortMessage(new IllegalArgumentException(message.toString()));
        return ProblemAdvice.problem(type, "The request to " + shown + " was refused: " + reason + ".", path);
    }
}
