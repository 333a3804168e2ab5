// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code STOWAGE_DB_SCHEMA}: the schema of Stowage's own tables (jobs, files, attempts), so that two deployments
 * can share one database. Also the schema Flyway migrates and every connection's search path.
 */
@Validated
@ConfigurationProperties("stowage.db")
public record DatabaseProperties(
        @DefaultValue("stowage") @Pattern(regexp = SqlNames.SCHEMA)
        String schema) {}
