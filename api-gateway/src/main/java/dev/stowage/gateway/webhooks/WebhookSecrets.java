// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each tenant's webhook signing secret. Kept as it is, not hashed, because every delivery is signed with it; a new
 * one replaces the old at once (rotation): deliveries signed after that use the new one.
 */
@Repository
public class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient sql;

    WebhookSecrets(JdbcClient sql) {
        this.sql = sql;
    }

    /** A new secret for the tenant, replacing any earlier one. */
    NewSecret rotate(String tenant) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OffsetDateTime createdAt = sql.sql("""
                        insert into webhook_secrets (tenant, secret) values (:tenant, :secret)
                        on conflict (tenant) do update set secret = excluded.secret, created_at = now()
                        returning created_at
                        """)
                .param("tenant", tenant)
                .param("secret", secret)
                .query(OffsetDateTime.class)
                .single();
        return new NewSecret(secret, createdAt);
    }

    public boolean exists(String tenant) {
        return secret(tenant).isPresent();
    }

    Optional<String> secret(String tenant) {
        return sql.sql("select secret from webhook_secrets where tenant = :tenant")
                .param("tenant", tenant)
                .query(String.class)
                .optional();
    }

    /** @param secret shown in this answer only */
    record NewSecret(String secret, OffsetDateTime createdAt) {}
}
