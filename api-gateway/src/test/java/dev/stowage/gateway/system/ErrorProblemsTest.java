// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;

/** What reaches /error from the container is answered as a problem of the registry, never Spring Boot's JSON. */
class ErrorProblemsTest {

    private final ErrorProblems errors = new ErrorProblems();

    @Test
    void anExceptionThatEscapedAFilterIsAnInternalError() {
        MockHttpServletRequest request = forwarded(500, "/api/v1/jobs");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("boom"));
        ProblemDetail problem = errors.error(request);
        assertThat(problem.getType()).isEqualTo(ProblemType.INTERNAL_ERROR.type());
        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getDetail()).doesNotContain("boom");
        assertThat(problem.getInstance()).hasToString("/api/v1/jobs");
    }

    @Test
    void aStatusWithoutABodyIsTheRegisteredTypeOfThatStatus() {
        MockHttpServletRequest request = forwarded(413, "/api/v1/jobs");
        request.setAttribute(RequestDispatcher.ERROR_MESSAGE, "Request too big");
        ProblemDetail problem = errors.error(request);
        assertThat(problem.getType()).isEqualTo(ProblemType.TOO_MANY_FILES.type());
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).contains("Request too big");
    }

    @Test
    void theErrorPageAskedForIsNoEndpoint() {
        ProblemDetail problem = errors.error(new MockHttpServletRequest("GET", "/error"));
        assertThat(problem.getType()).isEqualTo(ProblemType.UNKNOWN_ENDPOINT.type());
        assertThat(problem.getStatus()).isEqualTo(404);
    }

    @Test
    void aLongPathIsShortened() {
        String path = "/api/v1/datasets/" + "x".repeat(5_000);
        ProblemDetail problem = errors.error(forwarded(404, path));
        assertThat(problem.getDetail()).hasSizeLessThan(300);
        assertThat(problem.getInstance()).hasToString("/api/v1/datasets/");
    }

    private static MockHttpServletRequest forwarded(int status, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, path);
        return request;
    }
}
