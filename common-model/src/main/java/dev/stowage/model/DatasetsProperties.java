package dev.stowage.model;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code STOWAGE_DATASETS_SCHEMA}: the schema of the tables made from users' files. */
@Validated
@ConfigurationProperties("stowage.datasets")
public record DatasetsProperties(
        @DefaultValue("datasets") @Pattern(regexp = SqlNames.SCHEMA)
        String schema) {}
