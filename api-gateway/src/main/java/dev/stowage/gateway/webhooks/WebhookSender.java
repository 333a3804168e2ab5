// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import dev.stowage.gateway.jobs.JobQueries;
import dev.stowage.gateway.jobs.JobView;
import dev.stowage.model.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes one try of a delivery per message: POSTs the job's final state (the body of {@code GET /api/v1/jobs/{id}})
 * to its callback URL, signed ({@link WebhookSignature}). A 2xx answer delivers it. Anything else (another status, a
 * redirect, which is not followed, a timeout, an address Stowage does not call) sends the message to the next retry
 * tier; after the last, the delivery is FAILED and its message rejected, so that the webhook queue's dead-letter
 * exchange moves it to the webhook DLQ. At least once: a receiver may see a delivery twice (the {@code
 * Stowage-Delivery} header names it).
 */
@Component
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookDeliveries deliveries;
    private final WebhookSecrets secrets;
    private final CallbackUrls callbackUrls;
    private final JobQueries jobs;
    private final JsonMapper json;
    private final RabbitTemplate rabbit;
    private final Topology topology;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final MeterRegistry meters;
    private final HttpClient http;

    WebhookSender(
            WebhookDeliveries deliveries,
            WebhookSecrets secrets,
            CallbackUrls callbackUrls,
            JobQueries jobs,
            JsonMapper json,
            RabbitTemplate rabbit,
            Topology topology,
            WebhookSettings settings,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.callbackUrls = callbackUrls;
        this.jobs = jobs;
        this.json = json;
        this.rabbit = rabbit;
        this.topology = topology;
        this.retryDelays = settings.retryDelays();
        this.timeout = settings.timeout();
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build();
        for (String outcome : List.of("delivered", "retried", "failed")) {
            counted(outcome, 0);
        }
    }

    @RabbitListener(queues = "#{@topology.webhookQueue()}", concurrency = "2")
    void deliver(Message message) throws InterruptedException {
        UUID id = UUID.fromString(new String(message.getBody(), StandardCharsets.US_ASCII));
        try {
            deliver(id);
        } catch (DataAccessException e) {
            // The database is away: the message goes back to the queue, a second later rather than at once.
            log.warn("Webhook {} not tried, the database is not reachable: {}", id, e.toString());
            Thread.sleep(1000);
            throw e;
        }
    }

    private void deliver(UUID id) {
        Optional<WebhookDeliveries.Pending> pending = deliveries.pending(id);
        if (pending.isEmpty()) {
            return; // delivered or failed already: a second message of it
        }
        WebhookDeliveries.Pending delivery = pending.get();
        Try result = attempt(delivery);
        if (result.delivered()) {
            deliveries.tried(id, "DELIVERED", result.httpStatus(), null);
            counted("delivered", 1);
            return;
        }
        int tries = delivery.attempts() + 1;
        if (tries <= retryDelays.size()) {
            Duration delay = retryDelays.get(tries - 1);
            deliveries.tried(id, "PENDING", result.httpStatus(), result.error());
            log.info(
                    "Webhook {} of job {} try {} failed ({}); next in {}",
                    id,
                    delivery.jobId(),
                    tries,
                    result.error(),
                    delay);
            rabbit.send(topology.webhookRetryExchange(), Topology.retryRoutingKey(delay), WebhookOutbox.message(id));
            counted("retried", 1);
            return;
        }
        deliveries.tried(id, "FAILED", result.httpStatus(), result.error());
        counted("failed", 1);
        log.warn("Webhook {} of job {} failed after {} tries: {}", id, delivery.jobId(), tries, result.error());
        throw new AmqpRejectAndDontRequeueException("Webhook " + id + " failed after " + tries + " tries");
    }

    /** How one try ended: delivered, or the error to record (with the HTTP status, if one came). */
    private record Try(
            boolean delivered,
            @Nullable Integer httpStatus,
            @Nullable String error) {}

    private Try attempt(WebhookDeliveries.Pending delivery) {
        URI url = URI.create(delivery.url());
        Optional<String> refusal = callbackUrls.refusal(url);
        if (refusal.isPresent()) {
            return new Try(false, null, "Not called: " + refusal.get() + ".");
        }
        Optional<String> secret = secrets.secret(delivery.tenant());
        if (secret.isEmpty()) {
            return new Try(false, null, "Tenant has no signing secret (POST /api/v1/admin/webhook-secret).");
        }
        Optional<JobView> job = jobs.find(delivery.tenant(), delivery.jobId());
        if (job.isEmpty()) {
            return new Try(false, null, "The job no longer exists.");
        }
        byte[] body = json.writeValueAsBytes(job.get());
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Stowage-Webhooks")
                .header("Stowage-Delivery", delivery.id().toString())
                .header("Stowage-Event", "job.ended")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret.get(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Try(true, status, null);
            }
            return new Try(
                    false,
                    status,
                    status >= 300 && status < 400
                            ? "HTTP " + status + ": redirects are not followed."
                            : "HTTP " + status + ".");
        } catch (HttpTimeoutException e) {
            return new Try(false, null, "No answer within " + timeout.toMillis() + " ms.");
        } catch (IOException e) {
            return new Try(false, null, "Could not be sent: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while delivering webhook " + delivery.id(), e);
        }
    }

    private void counted(String outcome, int tries) {
        meters.counter("stowage.webhook.deliveries", "outcome", outcome).increment(tries);
    }
}
