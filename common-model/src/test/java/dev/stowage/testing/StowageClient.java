// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the gateway's API, as any user's client would be, sending one API key (or none). */
public final class StowageClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String key;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param key the API key sent as {@code Authorization: Bearer <key>}; null sends none */
    public StowageClient(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The same gateway with another key. */
    public StowageClient as(String otherKey) {
        return new StowageClient(base, otherKey);
    }

    /** One answer: status, content type, raw bytes, and the body as JSON when it is JSON. */
    public record Answer(int status, String contentType, byte[] bytes, HttpResponse<byte[]> raw) {

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Answer upload(Multipart multipart) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", multipart.contentType())
                .POST(multipart.publisher()));
    }

    public Answer post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** Any request, with this client's key. */
    public Answer send(HttpRequest.Builder request) {
        try {
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<byte[]> response =
                    http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body(),
                    response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
