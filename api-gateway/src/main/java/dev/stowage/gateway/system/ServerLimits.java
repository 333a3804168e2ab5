package dev.stowage.gateway.system;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat refuses requests of more than 50 parts by default, far below what one upload may hold; allow the files
 * limit plus room for the form fields, and let {@code UploadController} answer the files limit with a clear 413.
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
        factory.addConnectorCustomizers(
                connector -> connector.setMaxPartCount(limits.maxFilesPerRequest() + FORM_FIELDS));
    }
}
