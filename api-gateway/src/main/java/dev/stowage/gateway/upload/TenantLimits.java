// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one tenant may have at once, whatever its uploads hold ({@link TenantQuotas} enforces it). Counted in
 * PostgreSQL, so every gateway shares the same numbers.
 *
 * @param maxWaitingFiles {@code STOWAGE_TENANT_MAX_WAITING_FILES}: files of the tenant QUEUED or RETRYING, this
 *     upload's included; an upload that would pass it is refused
 * @param maxUploadsPerMinute {@code STOWAGE_TENANT_MAX_UPLOADS_PER_MINUTE}: jobs the tenant created in the last 60
 *     seconds, this upload's included
 */
@Validated
@ConfigurationProperties("stowage.tenant")
record TenantLimits(
        @DefaultValue("100000") @Min(1) @Max(1_000_000_000) int maxWaitingFiles,
        @DefaultValue("600") @Min(1) @Max(1_000_000) int maxUploadsPerMinute) {

    static final String MAX_WAITING_FILES = "STOWAGE_TENANT_MAX_WAITING_FILES";
    static final String MAX_UPLOADS_PER_MINUTE = "STOWAGE_TENANT_MAX_UPLOADS_PER_MINUTE";
}
