// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every error answer is an RFC 9457 problem of a {@link ProblemType}: a stable {@code type}, its title, and a detail
 * that names what was wrong (which parameter, what was given, shortened) and what is allowed. Spring's own failures
 * (binding, validation, routing, content negotiation) are translated here too, so that none answers with the
 * framework's wording; anything unforeseen is an {@code internal-error}.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    /** No detail is longer: what it quotes is shortened, and this is the last guard. */
    static final int MAX_DETAIL = 500;
    /** The {@code instance} is the request's path, unless that is longer than this. */
    private static final int MAX_INSTANCE = 200;

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final UploadLimits limits;

    ProblemAdvice(UploadLimits limits) {
        this.limits = limits;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem, HttpServletRequest request) {
        ProblemType type = ProblemType.ofSlug(problem.slug()).orElse(null);
        if (type == null || type.status() != problem.status()) {
            log.warn(
                    "Problem '{}' ({}) is not in ProblemType: the OpenAPI document and docs/errors.md do not"
                            + " describe it",
                    problem.slug(),
                    problem.status().value());
        }
        String title = type == null ? problem.status().getReasonPhrase() : type.title();
        ProblemDetail body = problem(problem.status(), problem.slug(), title, problem.getMessage(), request);
        problem.properties().forEach(body::setProperty);
        HttpHeaders headers = new HttpHeaders();
        problem.headers().forEach(headers::add);
        return ResponseEntity.status(problem.status()).headers(headers).body(body);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ProblemDetail databaseUnavailable(Exception e, HttpServletRequest request) {
        log.warn("Database unavailable: {}", e.toString());
        return problem(
                ProblemType.DATABASE_UNAVAILABLE,
                "The database is unavailable; nothing was accepted. Try again shortly.",
                request);
    }

    @ExceptionHandler(AmqpException.class)
    ProblemDetail brokerUnavailable(AmqpException e, HttpServletRequest request) {
        log.warn("Broker unavailable: {}", e.toString());
        return problem(ProblemType.BROKER_UNAVAILABLE, "The message broker is unavailable. Try again.", request);
    }

    /** A multipart body that cannot be parsed, or with more parts than Tomcat allows (see {@link ServerLimits}). */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e, HttpServletRequest request) {
        if (tooManyParts(e)) {
            return problem(ProblemType.TOO_MANY_FILES, limits.describe(), request);
        }
        return problem(
                ProblemType.MALFORMED_BODY,
                "The multipart body could not be read (" + shortMessage(e) + "). Send multipart/form-data with"
                        + " each file as a part named 'files'.",
                request);
    }

    /** Anything unforeseen: logged with its stack, answered without internals. */
    @ExceptionHandler(Exception.class)
    @Nullable
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            return null; // the client is gone: there is no one to answer
        }
        log.error("Unexpected error answering {} {}", request.getMethod(), shortPath(request), e);
        return problem(ProblemType.INTERNAL_ERROR, ProblemType.INTERNAL_ERROR.example(), request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemType type = tooManyParts(ex) ? ProblemType.TOO_MANY_FILES : ProblemType.TOO_LARGE;
        return answer(ex, type, limits.describe(), headers, request);
    }

    /**
     * Tomcat refused more parts than {@link ServerLimits} allows; Spring reports that as a size exceeded or as an
     * unreadable body, depending on Tomcat's wording, but the cause names it.
     */
    private static boolean tooManyParts(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().startsWith("FileCountLimitExceeded")) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String given = ex.getContentType() == null
                ? "The request has no Content-Type, which "
                : "Content type " + ApiProblem.shown(ex.getContentType()) + " ";
        String detail = given + "is not accepted by " + endpoint(request) + ". Send one of: "
                + types(ex.getSupportedMediaTypes()) + ".";
        return answer(ex, ProblemType.UNSUPPORTED_MEDIA_TYPE, detail, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
            HttpMediaTypeNotAcceptableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String accept = Objects.requireNonNullElse(request.getHeader(HttpHeaders.ACCEPT), "");
        String detail = endpoint(request) + " answers " + types(ex.getSupportedMediaTypes())
                + ", but the request accepts only " + ApiProblem.shown(accept) + ". Accept one of those.";
        return answer(ex, ProblemType.NOT_ACCEPTABLE, detail, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpRequestMethodNotSupported(
            HttpRequestMethodNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Collection<?> supported = Objects.requireNonNullElse(ex.getSupportedHttpMethods(), List.of());
        String detail = ApiProblem.shown(ex.getMethod()) + " is not allowed on " + path(request) + ": use "
                + (supported.isEmpty()
                        ? "another path."
                        : "one of "
                                + supported.stream()
                                        .map(Object::toString)
                                        .sorted()
                                        .collect(Collectors.joining(", "))
                                + ".");
        return answer(ex, ProblemType.METHOD_NOT_ALLOWED, detail, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(ex, ProblemType.UNKNOWN_ENDPOINT, noEndpoint(request), headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoHandlerFoundException(
            NoHandlerFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(ex, ProblemType.UNKNOWN_ENDPOINT, noEndpoint(request), headers, request);
    }

    /** {@code ?status=done}, a job id that is no UUID, {@code ?page=x}. */
    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex instanceof MethodArgumentTypeMismatchException mismatch
                ? invalid(mismatch.getParameter(), mismatch.getValue())
                : "Parameter " + ApiProblem.shown(Objects.requireNonNullElse(ex.getPropertyName(), "?"))
                        + " has a value of the wrong type.";
        return answer(ex, ProblemType.INVALID_PARAMETER, detail, headers, request);
    }

    /** {@code @Min}, {@code @Max}, {@code @Size}, {@code @Pattern} on a controller method's parameters. */
    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> details = new ArrayList<>();
        ProblemType type = ProblemType.INVALID_PARAMETER;
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors errors && errors.hasFieldErrors()) {
                type = ProblemType.INVALID_BODY;
                details.add(invalidFields(errors.getFieldErrors(), result.getMethodParameter()));
            } else {
                details.add(invalid(result.getMethodParameter(), result.getArgument()));
            }
        }
        return answer(ex, type, String.join(" ", details), headers, request);
    }

    /** A {@code @Valid @RequestBody} whose fields break their constraints (a missing name, say). */
    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = invalidFields(ex.getBindingResult().getFieldErrors(), ex.getParameter());
        return answer(ex, ProblemType.INVALID_BODY, detail, headers, request);
    }

    /** No body, a body that is not JSON, or JSON whose fields have the wrong type or value. */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Object handler =
                request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        Class<?> body = JsonBodies.bodyType(handler).orElse(Object.class);
        JsonBodyFailure failure = JsonBodyFailure.of(ex, body);
        return answer(ex, failure.type(), failure.detail(), headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        MethodParameter parameter = ex.getMethodParameter();
        String detail = parameter == null
                ? "Parameter " + ApiProblem.shown(ex.getParameterName()) + " is required."
                : ParameterRules.label(parameter) + " is required: it must be " + ParameterRules.allowed(parameter)
                        + ".";
        return answer(ex, ProblemType.INVALID_PARAMETER, detail, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestPart(
            MissingServletRequestPartException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "Part " + ApiProblem.shown(ex.getRequestPartName()) + " is required.";
        return answer(ex, ProblemType.INVALID_PARAMETER, detail, headers, request);
    }

    /** A required header missing, and the like. */
    @Override
    protected @Nullable ResponseEntity<Object> handleServletRequestBindingException(
            ServletRequestBindingException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(ex, ProblemType.INVALID_PARAMETER, shortMessage(ex) + ".", headers, request);
    }

    /**
     * Every framework failure not translated above (a missing path variable, a message that cannot be written, an
     * async timeout): the server's fault, answered as an {@code internal-error} and logged.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        boolean ours = body instanceof ProblemDetail problem
                && problem.getType().toString().startsWith(ApiProblem.TYPE_BASE);
        HttpServletResponse response = ((ServletWebRequest) request).getResponse();
        if (ours || (response != null && response.isCommitted())) {
            // Ours; or too late to answer (a download that timed out half-way), which Spring logs and drops.
            return super.handleExceptionInternal(ex, body, headers, status, request);
        }
        log.error("Unexpected {} answering {}", status, endpoint(request), ex);
        ProblemDetail internal =
                problem(ProblemType.INTERNAL_ERROR, ProblemType.INTERNAL_ERROR.example(), servlet(request));
        return super.handleExceptionInternal(ex, internal, headers, HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    private @Nullable ResponseEntity<Object> answer(
            Exception ex, ProblemType type, String detail, HttpHeaders headers, WebRequest request) {
        ProblemDetail body = problem(type, detail, servlet(request));
        return handleExceptionInternal(ex, body, headers, type.status(), request);
    }

    /** "Parameter 'size' is '0': it must be an integer from 1 to 100 (default 20)." */
    private static String invalid(MethodParameter parameter, @Nullable Object value) {
        return ParameterRules.label(parameter) + " is " + (value == null ? "missing" : ApiProblem.shown(value))
                + ": it must be " + ParameterRules.allowed(parameter) + ".";
    }

    /** "Field 'name' is missing: it must be …", for each field that broke a constraint, once. */
    private static String invalidFields(List<FieldError> errors, MethodParameter body) {
        Class<?> type = body.getParameterType();
        return errors.stream()
                .map(FieldError::getField)
                .distinct()
                .map(field -> {
                    FieldError error = errors.stream()
                            .filter(e -> e.getField().equals(field))
                            .findFirst()
                            .orElseThrow();
                    Object value = error.getRejectedValue();
                    return "Field " + ApiProblem.shown(field) + " is "
                            + (value == null ? "missing" : ApiProblem.shown(value)) + ": it must be "
                            + JsonBodies.allowed(type, field).orElse("valid") + ".";
                })
                .collect(Collectors.joining(" "));
    }

    private static String noEndpoint(WebRequest request) {
        return "There is no endpoint at " + endpoint(request) + ". The API's endpoints are described at"
                + " /v3/api-docs and /swagger-ui.html.";
    }

    /** "GET /api/v1/jobs", the path shortened. */
    private static String endpoint(WebRequest request) {
        return servlet(request).getMethod() + " " + path(request);
    }

    private static String path(WebRequest request) {
        return shortPath(servlet(request));
    }

    private static String shortPath(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.length() <= ApiProblem.SHOWN_CHARACTERS
                ? path
                : path.substring(0, ApiProblem.SHOWN_CHARACTERS) + "…";
    }

    private static String types(List<MediaType> types) {
        return types.stream().map(MediaType::toString).collect(Collectors.joining(", "));
    }

    /** The first line of an exception's message, shortened: enough to locate the fault, never a stack or a dump. */
    static String shortMessage(Throwable e) {
        String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= ApiProblem.SHOWN_CHARACTERS
                ? line
                : line.substring(0, ApiProblem.SHOWN_CHARACTERS) + "…";
    }

    private static HttpServletRequest servlet(WebRequest request) {
        return ((ServletWebRequest) request).getRequest();
    }

    static ProblemDetail problem(ProblemType type, String detail, HttpServletRequest request) {
        return problem(type.status(), type.slug(), type.title(), detail, request);
    }

    private static ProblemDetail problem(
            HttpStatus status, String slug, String title, @Nullable String detail, HttpServletRequest request) {
        return problem(status, slug, title, detail, request.getRequestURI());
    }

    /** @param path the request's path, for {@code instance} */
    static ProblemDetail problem(ProblemType type, String detail, String path) {
        return problem(type.status(), type.slug(), type.title(), detail, path);
    }

    private static ProblemDetail problem(
            HttpStatus status, String slug, String title, @Nullable String detail, String path) {
        String text = Objects.requireNonNullElse(detail, title);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                status, text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…");
        problem.setType(URI.create(ApiProblem.TYPE_BASE + slug));
        problem.setTitle(title);
        problem.setInstance(instance(path));
        return problem;
    }

    /**
     * The request's path as {@code instance}; a path longer than {@value #MAX_INSTANCE} characters is cut at its last
     * '/' before that (Spring would otherwise echo the whole path, and a cut there keeps it a valid URI).
     */
    private static URI instance(String path) {
        String shortened =
                path.length() <= MAX_INSTANCE ? path : path.substring(0, path.lastIndexOf('/', MAX_INSTANCE) + 1);
        try {
            return URI.create(shortened);
        } catch (IllegalArgumentException e) {
            return URI.create("/");
        }
    }
}
