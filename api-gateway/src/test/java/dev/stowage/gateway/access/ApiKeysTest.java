// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STOWAGE_API_KEYS} parsing: what is accepted, and that a mistake stops the gateway without echoing a key. */
class ApiKeysTest {

    @Test
    void parsesKeysTenantsAndRolesAndKeepsOnlyHashes() {
        Map<String, Caller> keys = ApiKeys.parse(" first-key-1234=default:ADMIN , second=key-5678=acme_2:USER ");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(ApiKeys.hash("first-key-1234")))
                .isEqualTo(new Caller("default", Role.ADMIN, "bootstrap-1"));
        // A key may hold '=': the last one separates it from the tenant.
        assertThat(keys.get(ApiKeys.hash("second=key-5678"))).isEqualTo(new Caller("acme_2", Role.USER, "bootstrap-2"));
        assertThat(keys.keySet())
                .allSatisfy(hash -> assertThat(hash).hasSize(64).doesNotContain("key"));
        assertThat(ApiKeys.parse(null)).isEmpty();
        assertThat(ApiKeys.parse("  ")).isEmpty();
    }

    @Test
    void refusesMistakesWithoutShowingTheKey() {
        assertThatThrownBy(() -> ApiKeys.parse("secret-key-123456"))
                .hasMessage("STOWAGE_API_KEYS entry 1 is not of the form key=tenant:ROLE.");
        assertThatThrownBy(() -> ApiKeys.parse("a-good-key-1234=t:USER,short=t:USER"))
                .hasMessageContaining("entry 2")
                .hasMessageContaining("shorter than 12")
                .hasMessageNotContaining("short=");
        assertThatThrownBy(() -> ApiKeys.parse("secret-key-123456=t:ROOT"))
                .hasMessageContaining("role 'ROOT'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ApiKeys.parse("secret-key-123456=Bad Tenant:USER"))
                .hasMessageContaining("Tenant 'Bad Tenant'");
        assertThatThrownBy(() -> ApiKeys.parse("secret-key-123456=a:USER,secret-key-123456=b:ADMIN"))
                .hasMessageContaining("entry 2 repeats");
    }
}
