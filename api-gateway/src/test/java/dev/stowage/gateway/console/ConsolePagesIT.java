// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The console's files served without a key under a strict policy, and {@code GET /api/v1/me}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsolePagesIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    @Autowired
    Environment environment;

    StowageClient anonymous;
    StowageClient user;

    @BeforeEach
    void clients() {
        URI base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        anonymous = new StowageClient(base, null);
        user = new StowageClient(base, services.userKey);
    }

    @Test
    void theConsoleIsServedWithoutAKeyUnderAContentSecurityPolicy() {
        Answer page = anonymous.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(new String(page.bytes(), StandardCharsets.UTF_8))
                .contains("<script type=\"module\" src=\"js/app.js\">");
        String policy = page.header("Content-Security-Policy");
        assertThat(policy)
                .contains("default-src 'self'")
                .contains("script-src 'self'")
                .contains("style-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

        Answer script = anonymous.get("/js/pages/job.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");
        assertThat(script.header("Content-Security-Policy")).isEqualTo(ConsoleHeaders.POLICY);
        assertThat(anonymous.get("/console.css").contentType()).startsWith("text/css");
    }

    @Test
    void theApiStillNeedsAKeyAndSaysWhoseItIs() {
        assertThat(anonymous.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/jobs").status()).isEqualTo(401);
        Answer me = user.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("tenant").asString()).isEqualTo("default");
        assertThat(me.json().get("role").asString()).isEqualTo("USER");
        assertThat(me.json().get("keyName").asString()).startsWith("bootstrap-");
        assertThat(me.header("Content-Security-Policy")).isNull();
        assertThat(user.as(services.adminKey)
                        .get("/api/v1/me")
                        .json()
                        .get("role")
                        .asString())
                .isEqualTo("ADMIN");
    }
}
