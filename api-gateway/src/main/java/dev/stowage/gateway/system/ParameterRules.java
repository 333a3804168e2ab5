// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;

/**
 * What a controller method's parameter (or a field of a JSON body) is called and which values it takes, read from
 * the same annotations that Spring binds and validates with, so an answer's "it must be …" cannot drift from what
 * is checked. Bean Validation's own messages are not used: they follow the request's Accept-Language.
 */
final class ParameterRules {

    /** A {@code @Pattern}'s message is shown only when it was written for people, not a message key. */
    private static final String MESSAGE_KEY = "{";

    private ParameterRules() {}

    /** The name the client uses: the {@code @RequestParam}, {@code @PathVariable} or header name. */
    static String name(MethodParameter parameter) {
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        if (query != null && !query.name().isEmpty()) {
            return query.name();
        }
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        if (path != null && !path.name().isEmpty()) {
            return path.name();
        }
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        String name = parameter.getParameterName();
        return name == null ? "argument " + parameter.getParameterIndex() : name;
    }

    /** "Query parameter 'size'", "Path parameter 'jobId'", "Header 'If-None-Match'". */
    static String label(MethodParameter parameter) {
        if (parameter.hasParameterAnnotation(PathVariable.class)) {
            return "Path parameter '" + name(parameter) + "'";
        }
        if (parameter.hasParameterAnnotation(RequestHeader.class)) {
            return "Header '" + name(parameter) + "'";
        }
        return "Parameter '" + name(parameter) + "'";
    }

    /** Whether the parameter takes several values ({@code ?a=1&a=2}, several {@code files} parts). */
    static boolean multiValued(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type.isArray() || Collection.class.isAssignableFrom(type);
    }

    /** "an integer from 1 to 100 (default 20)", "one of QUEUED, DONE", "a UUID, e.g. …". */
    static String allowed(MethodParameter parameter) {
        String allowed = allowed(parameter.getParameterType(), parameter.getParameterAnnotations());
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        if (query != null && !ValueConstants.DEFAULT_NONE.equals(query.defaultValue())) {
            allowed += " (default " + query.defaultValue() + ")";
        }
        return allowed;
    }

    static String allowed(Class<?> type, Annotation[] annotations) {
        Min min = find(annotations, Min.class);
        Max max = find(annotations, Max.class);
        Size size = find(annotations, Size.class);
        Pattern pattern = find(annotations, Pattern.class);
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(constant -> ((Enum<?>) constant).name())
                            .collect(Collectors.joining(", "));
        }
        if (type == UUID.class) {
            return "a UUID, e.g. 0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (min != null && max != null) {
                return "an integer from " + min.value() + " to " + max.value();
            }
            if (min != null) {
                return "an integer of at least " + min.value();
            }
            return max != null ? "an integer of at most " + max.value() : "an integer";
        }
        if (type == String.class) {
            if (pattern != null && !pattern.message().startsWith(MESSAGE_KEY)) {
                return pattern.message();
            }
            if (size != null && size.min() > 0) {
                return "text of " + size.min() + " to " + size.max() + " characters";
            }
            return size != null ? "text of at most " + size.max() + " characters" : "text";
        }
        return "a " + type.getSimpleName();
    }

    private static <A extends Annotation> @Nullable A find(Annotation[] annotations, Class<A> type) {
        for (Annotation annotation : annotations) {
            if (type.isInstance(annotation)) {
                return type.cast(annotation);
            }
        }
        return null;
    }
}
