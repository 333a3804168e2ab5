// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code STOWAGE_API_KEYS}: bootstrap keys, {@code key=tenant:ROLE} entries separated by commas. They are hashed
 * when the gateway starts and held only in memory; keys added through the admin API are kept hashed in the
 * database and can be revoked without a restart.
 */
@ConfigurationProperties("stowage.api")
public record ApiKeyProperties(@Nullable String keys) {}
