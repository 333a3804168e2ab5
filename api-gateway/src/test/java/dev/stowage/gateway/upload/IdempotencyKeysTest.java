// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stowage.gateway.system.ApiProblem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which {@code Idempotency-Key} headers are keys: 1 to 255 printable ASCII characters, given once. */
class IdempotencyKeysTest {

    @Test
    void printableAsciiUpTo255CharactersIsAKey() {
        assertThat(IdempotencyKeys.of(request())).isNull();
        for (String key : List.of("k", "0b9e5a3c-7f1d-4c56-9a57-3c1e4f8b2d10", "a b~!\"#", "x".repeat(255))) {
            assertThat(IdempotencyKeys.of(request(key))).isEqualTo(key);
        }
    }

    @Test
    void anythingElseIsAnInvalidParameterNamingTheHeader() {
        for (String bad : List.of("", "x".repeat(256), "caf\u00e9", "a\tb", "a\u007fb", "a\u0000b", "\u20ac")) {
            assertThatThrownBy(() -> IdempotencyKeys.of(request(bad)))
                    .as("key '%s'", bad)
                    .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                        assertThat(problem.slug()).isEqualTo("invalid-parameter");
                        assertThat(problem.getMessage()).contains("'Idempotency-Key'", "1 to 255 printable ASCII");
                    });
        }
        assertThatThrownBy(() -> IdempotencyKeys.of(request("a", "b")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("2 times");
    }

    private static MockHttpServletRequest request(String... keys) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/jobs");
        for (String key : keys) {
            request.addHeader("Idempotency-Key", key);
        }
        return request;
    }
}
