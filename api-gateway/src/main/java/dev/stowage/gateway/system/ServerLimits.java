// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat's own limits, derived from {@link UploadLimits} so that ours are the ones a client meets:
 * <ul>
 *   <li>parts and parameters: Tomcat refuses more than 50 parts and 1,000 parameters (files count as both) by
 *       default; allow the files limit plus room for the form fields, and let {@code UploadController} answer the
 *       files limit with a clear 413;
 *   <li>swallowing: after refusing a file that is too large, Tomcat reads at most 2 MB of the rest of the request
 *       and then drops the connection, so a client still sending gets a reset instead of our 413. Reading (and
 *       discarding) up to the request limit lets every client see the answer.
 * </ul>
 */
@Component
class ServerLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final int FORM_FIELDS = 16;
    private final UploadLimits limits;

    ServerLimits(UploadLimits limits) {
        this.limits = limits;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        int parts = limits.maxFilesPerRequest() + FORM_FIELDS;
        int swallow = (int) Math.min(Integer.MAX_VALUE, limits.maxRequestSize().toBytes());
        factory.addConnectorCustomizers(connector -> {
            connector.setMaxPartCount(parts);
            connector.setMaxParameterCount(parts);
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(swallow);
            }
        });
    }
}
