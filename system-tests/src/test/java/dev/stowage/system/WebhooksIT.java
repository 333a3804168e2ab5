// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: a receiver on 127.0.0.1 (allowed by the tests' STOWAGE_WEBHOOK_ALLOWED_HOSTS) that fails
 * before it accepts, one that never does, and callback URLs inside the network that are refused at upload. The
 * receiver checks every signature the way a client would, with the secret the API showed once.
 */
class WebhooksIT {

    static TestServices services;
    static StowageClient api;
    static HttpServer receiver;
    /** Per path: the requests received, and how many more to fail before accepting (-1: fail forever). */
    static final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    record Received(Map<String, String> headers, byte[] body, int answered) {}

    @BeforeAll
    static void start() throws Exception {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            AtomicInteger left = failuresLeft.computeIfAbsent(path, p -> new AtomicInteger());
            int status = left.get() == 0 ? 204 : 503;
            if (left.get() > 0) {
                left.decrementAndGet();
            }
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(new Received(
                            Map.of(
                                    "signature",
                                    String.valueOf(exchange.getRequestHeaders().getFirst("Stowage-Signature")),
                                    "delivery",
                                    String.valueOf(exchange.getRequestHeaders().getFirst("Stowage-Delivery")),
                                    "type",
                                    String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))),
                            body,
                            status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheSignedJobOnceItAccepts() throws Exception {
        String secret = newSecret();
        failuresLeft.put("/twice", new AtomicInteger(2));
        String jobId = Jobs.upload(
                api,
                new Multipart()
                        .field("callbackUrl", url("/twice"))
                        .file("files", "hooked.json", "application/json", utf8("[{\"a\":1}]")));
        assertThat(Jobs.awaitEnded(api, jobId).get("status").asString()).isEqualTo("DONE");

        JsonNode delivery = awaitDelivery(jobId, "DELIVERED");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("lastStatus").asInt()).isEqualTo(204);
        assertThat(delivery.get("lastError").isNull()).isTrue();

        // Nothing more comes once the receiver has accepted: still three requests over two seconds, longer than the
        // tiers would take to send a fourth.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> received.get("/twice").size() == 3);
        List<Received> requests = received.get("/twice");
        assertThat(requests).extracting(Received::answered).containsExactly(503, 503, 204);
        assertThat(requests)
                .extracting(request -> request.headers().get("delivery"))
                .containsOnly(delivery.get("deliveryId").asString());
        for (Received request : requests) {
            assertThat(request.headers().get("type")).isEqualTo("application/json");
            assertSigned(request, secret);
        }
        JsonNode body = JsonMapper.builder().build().readTree(requests.get(2).body());
        assertThat(body.get("jobId").asString()).isEqualTo(jobId);
        assertThat(body.get("status").asString()).isEqualTo("DONE");
        assertThat(body.get("files").get(0).get("name").asString()).isEqualTo("hooked.json");
    }

    @Test
    void aReceiverThatNeverAcceptsIsTriedOncePerTierThenDeadLettered() throws Exception {
        newSecret();
        failuresLeft.put("/down", new AtomicInteger(Integer.MAX_VALUE));
        String jobId = Jobs.upload(
                api,
                new Multipart()
                        .field("callbackUrl", url("/down"))
                        .file("files", "unheard.json", "application/json", utf8("[{\"a\":1}]")));
        Jobs.awaitEnded(api, jobId);
        JsonNode delivery = awaitDelivery(jobId, "FAILED");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1 + TestServices.WEBHOOK_RETRY_DELAYS.size());
        assertThat(delivery.get("lastStatus").asInt()).isEqualTo(503);
        assertThat(delivery.get("lastError").asString()).isEqualTo("HTTP 503.");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.messageCount(services.topology().webhookDeadLetterQueue()) >= 1);
        assertThat(received.get("/down")).hasSize(1 + TestServices.WEBHOOK_RETRY_DELAYS.size());
    }

    @Test
    void callbackUrlsInsideTheNetworkOrNotHttpAreRefusedAndNothingIsStored() throws Exception {
        newSecret();
        long jobsBefore = services.count("select count(*) from " + services.schema + ".jobs");
        Map<String, String> refused = Map.of(
                "http://10.1.2.3/hook",
                "resolves to 10.1.2.3",
                "http://169.254.169.254/latest/meta-data",
                "resolves to 169.254.169.254",
                "http://localhost:" + receiver.getAddress().getPort() + "/hook",
                "resolves to 127.0.0.1",
                "http://[::1]/hook",
                "resolves to 0:0:0:0:0:0:0:1",
                "http://192.168.0.10/hook",
                "inside the network",
                "ftp://example.com/hook",
                "only http and https",
                "http://user:secret@127.0.0.1/hook",
                "user name or password",
                "not a url at all",
                "not a URL");
        refused.forEach((url, why) -> {
            StowageClient.Answer answer = api.upload(new Multipart()
                    .field("callbackUrl", url)
                    .file("files", "refused.json", "application/json", utf8("[1]")));
            assertThat(answer.status()).as(url).isEqualTo(400);
            assertThat(answer.json().get("type").asString()).as(url).endsWith("/invalid-callback-url");
            assertThat(answer.json().get("detail").asString()).as(url).contains("'callbackUrl'", why);
        });
        assertThat(services.count("select count(*) from " + services.schema + ".jobs"))
                .isEqualTo(jobsBefore);
    }

    @Test
    void aTenantWithoutASecretIsToldToMakeOne() {
        StowageClient other = api.as(services.otherTenantKey);
        StowageClient.Answer answer = other.upload(new Multipart()
                .field("callbackUrl", url("/other"))
                .file("files", "other.json", "application/json", utf8("[1]")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).endsWith("/no-webhook-secret");
        assertThat(answer.json().get("detail").asString()).contains("POST /api/v1/admin/webhook-secret");
        assertThat(api.as(services.userKey)
                        .post("/api/v1/admin/webhook-secret", "application/json", new byte[0])
                        .status())
                .as("a USER key makes no secret")
                .isEqualTo(403);
    }

    private static String newSecret() {
        StowageClient.Answer answer = api.post("/api/v1/admin/webhook-secret", "application/json", new byte[0]);
        assertThat(answer.status()).isEqualTo(201);
        String secret = answer.json().get("secret").asString();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        return secret;
    }

    /** What a receiver does: recompute the HMAC over "t.body" with the secret, and check that t is recent. */
    private static void assertSigned(Received request, String secret) throws Exception {
        String header = request.headers().get("signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(60);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        assertThat(header).endsWith(",v1=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
    }

    private static JsonNode awaitDelivery(String jobId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode deliveries =
                    api.get("/api/v1/jobs/" + jobId + "/deliveries").json().get("deliveries");
            return deliveries.size() == 1
                    && deliveries.get(0).get("status").asString().equals(status);
        });
        JsonNode answer = api.get("/api/v1/jobs/" + jobId + "/deliveries").json();
        assertThat(answer.get("callbackUrl").asString()).startsWith("http://127.0.0.1:");
        return answer.get("deliveries").get(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
