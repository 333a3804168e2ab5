// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import dev.stowage.model.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Finds the caller of a key: first among the bootstrap keys of {@code STOWAGE_API_KEYS}, then among the keys added
 * at run time. Both are looked up by the SHA-256 hash of the presented key, so no key is kept in clear and the
 * lookup time does not depend on how much of a key matches. A revoked key stops working with the next request.
 */
@Service
public class ApiKeys {

    /** Bootstrap keys shorter than this are refused at start-up: they could be guessed. */
    static final int MIN_LENGTH = 12;

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient sql;
    private final Map<String, Caller> bootstrap;

    ApiKeys(JdbcClient sql, ApiKeyProperties properties) {
        this.sql = sql;
        this.bootstrap = parse(properties.keys());
        if (bootstrap.isEmpty()) {
            log.warn("STOWAGE_API_KEYS is empty: only keys added through the admin API are accepted, and adding one"
                    + " needs an ADMIN key. Set STOWAGE_API_KEYS=<key>=<tenant>:ADMIN to bootstrap.");
        }
    }

    /** A key as the admin API lists it: never the key or its hash. */
    public record KeyInfo(
            UUID id,
            String name,
            String tenant,
            Role role,
            OffsetDateTime createdAt,
            @Nullable OffsetDateTime revokedAt) {}

    /** A key just created: the only time the key itself is shown. */
    public record NewKey(String key, KeyInfo info) {}

    public Optional<Caller> authenticate(String key) {
        String hash = hash(key);
        Caller caller = bootstrap.get(hash);
        if (caller != null) {
            return Optional.of(caller);
        }
        return sql.sql("select tenant, role, name from api_keys where key_hash = decode(:hash, 'hex')"
                        + " and revoked_at is null")
                .param("hash", hash)
                .query((rs, n) ->
                        new Caller(rs.getString("tenant"), Role.valueOf(rs.getString("role")), rs.getString("name")))
                .optional();
    }

    /**
     * Every tenant that a key can act for: those of the bootstrap keys and of the keys not revoked. Bounded by the
     * keys an operator made, so it may name a metric's series.
     */
    public Set<String> tenants() {
        Set<String> tenants = new TreeSet<>();
        bootstrap.values().forEach(caller -> tenants.add(caller.tenant()));
        tenants.addAll(sql.sql("select distinct tenant from api_keys where revoked_at is null")
                .query(String.class)
                .list());
        return tenants;
    }

    public NewKey create(String tenant, Role role, String name) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "stw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        OffsetDateTime created = sql.sql("insert into api_keys (id, key_hash, tenant, role, name)"
                        + " values (:id, decode(:hash, 'hex'), :tenant, :role, :name) returning created_at")
                .param("id", id)
                .param("hash", hash(key))
                .param("tenant", tenant)
                .param("role", role.name())
                .param("name", name)
                .query(OffsetDateTime.class)
                .single();
        log.info("API key {} ({}) created for tenant {} as {}", id, name, tenant, role);
        return new NewKey(key, new KeyInfo(id, name, tenant, role, created, null));
    }

    public List<KeyInfo> list(String tenant) {
        return sql.sql("select id, name, tenant, role, created_at, revoked_at from api_keys where tenant = :tenant"
                        + " order by created_at")
                .param("tenant", tenant)
                .query((rs, n) -> new KeyInfo(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("tenant"),
                        Role.valueOf(rs.getString("role")),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("revoked_at", OffsetDateTime.class)))
                .list();
    }

    /** @return false when the tenant has no such key */
    public boolean revoke(String tenant, UUID id) {
        int revoked = sql.sql("update api_keys set revoked_at = coalesce(revoked_at, now())"
                        + " where id = :id and tenant = :tenant")
                .param("id", id)
                .param("tenant", tenant)
                .update();
        if (revoked > 0) {
            log.info("API key {} of tenant {} revoked", id, tenant);
        }
        return revoked > 0;
    }

    /** Parses {@code key=tenant:ROLE,...}; a malformed entry stops the gateway with what is wrong (not the key). */
    static Map<String, Caller> parse(@Nullable String keys) {
        Map<String, Caller> callers = new HashMap<>();
        if (keys == null || keys.isBlank()) {
            return callers;
        }
        String[] entries = keys.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int equals = entry.lastIndexOf('=');
            int colon = entry.lastIndexOf(':');
            String where = "STOWAGE_API_KEYS entry " + (i + 1);
            if (equals <= 0 || colon < equals) {
                throw new IllegalArgumentException(where + " is not of the form key=tenant:ROLE.");
            }
            String key = entry.substring(0, equals);
            String tenant = entry.substring(equals + 1, colon);
            String role = entry.substring(colon + 1);
            if (key.length() < MIN_LENGTH) {
                throw new IllegalArgumentException(
                        where + ": the key is shorter than " + MIN_LENGTH + " characters and could be guessed.");
            }
            if (!role.equals("USER") && !role.equals("ADMIN")) {
                throw new IllegalArgumentException(where + ": role '" + role + "' is neither USER nor ADMIN.");
            }
            try {
                Tenants.requireValid(tenant);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (callers.put(hash(key), new Caller(tenant, Role.valueOf(role), "bootstrap-" + (i + 1))) != null) {
                throw new IllegalArgumentException(where + " repeats an earlier key.");
            }
        }
        return callers;
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
