// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Hands a controller method the {@link Caller} that {@link ApiKeyFilter} checked. */
@Configuration
class CallerArguments implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer container,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        Object caller = request.getAttribute(Caller.class.getName(), RequestAttributes.SCOPE_REQUEST);
        if (caller == null) {
            // Only reachable if a controller outside /api/ asks for a caller: a programming error, never a 200.
            throw new IllegalStateException("No API key was checked for this request");
        }
        return (Caller) caller;
    }
}
