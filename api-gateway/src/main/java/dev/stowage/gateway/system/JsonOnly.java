// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API reads and writes JSON only. springdoc brings Jackson 2's YAML module (for {@code /v3/api-docs.yaml},
 * which it writes itself), and Spring registers a YAML converter whenever that module is present: every endpoint
 * would then also take and answer YAML, undocumented and untested.
 */
@Configuration
class JsonOnly implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(
                converter -> converter.getSupportedMediaTypes().contains(MediaType.APPLICATION_YAML)));
    }
}
