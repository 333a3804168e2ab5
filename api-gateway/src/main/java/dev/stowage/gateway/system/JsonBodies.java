// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * The JSON body an endpoint takes (its {@code @RequestBody} record) and what each field allows, so that an answer
 * to a bad body can list the fields to send and say what a wrong one must be.
 */
final class JsonBodies {

    private JsonBodies() {}

    /** The type of the handler's {@code @RequestBody}, if the handler takes one. */
    static Optional<Class<?>> bodyType(@Nullable Object handler) {
        if (handler instanceof HandlerMethod method) {
            for (MethodParameter parameter : method.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    return Optional.of(parameter.getParameterType());
                }
            }
        }
        return Optional.empty();
    }

    /** "name, role": the fields of a record body, in their order. */
    static String fields(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            return type.getSimpleName();
        }
        return Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "));
    }

    /** What a field of the body takes, from the constraints on the record component; empty if no such field. */
    static Optional<String> allowed(Class<?> type, String field) {
        try {
            // Constraints written on a record component are carried by its field (they do not target components).
            Field declared = type.getDeclaredField(field);
            return Optional.of(ParameterRules.allowed(declared.getType(), declared.getAnnotations()));
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        }
    }
}
