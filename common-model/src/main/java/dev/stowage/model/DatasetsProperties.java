// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code STOWAGE_DATASETS_SCHEMA}: the schema of the tables made from users' files. The default tenant's tables
 * are in it; every other tenant has a schema of its own, so that two tenants' datasets of the same name are two
 * tables and a database role can be granted one tenant's data alone. JSONB documents of every tenant share the
 * {@link DatasetTables#DOCUMENTS} of this schema, told apart by its {@code tenant} column.
 */
@Validated
@ConfigurationProperties("stowage.datasets")
public record DatasetsProperties(
        // Room for "__" and the longest tenant name within PostgreSQL's 63 bytes.
        @DefaultValue("datasets") @Pattern(regexp = SqlNames.SCHEMA) @Size(max = 31)
        String schema) {

    /** {@code datasets} for the default tenant, {@code datasets__acme} for tenant {@code acme}. */
    public String schemaFor(String tenant) {
        return Tenants.DEFAULT.equals(tenant) ? schema : schema + "__" + Tenants.requireValid(tenant);
    }
}
