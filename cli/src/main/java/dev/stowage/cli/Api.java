// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stowage's REST API as the commands use it: the base URL and key from the environment, JSON answers, and every
 * error answer (RFC 9457 problem) or unreachable server turned into one clear line.
 */
final class Api {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String key;
    private final HttpClient http;

    Api(URI base, String key) {
        this.base = base;
        this.key = key;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * The server and key from {@code STOWAGE_URL} and {@code STOWAGE_API_KEY}, or the key read from a file: never
     * from the command line, where other users of the machine and the shell's history would see it.
     */
    static Api fromEnvironment(Map<String, String> environment, Path keyFile) {
        String url = environment.getOrDefault("STOWAGE_URL", DEFAULT_URL);
        String key;
        if (keyFile != null) {
            try {
                key = Files.readString(keyFile).strip();
            } catch (IOException e) {
                throw new CliException("Cannot read the key file " + keyFile + ": " + e.getMessage(), ExitCodes.CANNOT);
            }
        } else {
            key = environment.getOrDefault("STOWAGE_API_KEY", "").strip();
        }
        if (key.isEmpty()) {
            throw new CliException("No API key: set STOWAGE_API_KEY (or give --api-key-file).", ExitCodes.CANNOT);
        }
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new CliException("STOWAGE_URL is not a URL: " + url, ExitCodes.CANNOT);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new CliException("STOWAGE_URL must start with http:// or https://: " + url, ExitCodes.CANNOT);
        }
        return new Api(base, key);
    }

    JsonNode get(String path) {
        return json(send(request(path).GET(), path));
    }

    /** A GET that sends the entity tag the caller has: empty when the resource did not change. */
    Optional<Tagged> getIfChanged(String path, String etag) {
        HttpRequest.Builder request = request(path).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<InputStream> response = send(request, path);
        if (response.statusCode() == 304) {
            drain(response);
            return Optional.empty();
        }
        return Optional.of(
                new Tagged(json(response), response.headers().firstValue("ETag").orElse(null)));
    }

    JsonNode post(String path) {
        return json(send(request(path).POST(HttpRequest.BodyPublishers.noBody()), path));
    }

    /** Uploads the files as one job; the body is streamed from the files as it is sent. */
    JsonNode upload(List<Path> files, String dataset) {
        Multipart body = new Multipart(files, dataset);
        return json(send(
                request("/api/v1/jobs")
                        .header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofInputStream(body::stream)),
                "/api/v1/jobs"));
    }

    record Tagged(JsonNode body, String etag) {}

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json");
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String path) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException(
                    "Cannot reach the server at " + base + " (STOWAGE_URL): connection refused.", ExitCodes.CANNOT);
        } catch (IOException e) {
            throw new CliException(
                    "Cannot reach the server at " + base + " (STOWAGE_URL): " + describe(e), ExitCodes.CANNOT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", ExitCodes.CANNOT);
        }
        int status = response.statusCode();
        if (status >= 400) {
            throw new CliException(problem(status, path, response), ExitCodes.CANNOT);
        }
        return response;
    }

    /** The server's problem answer in one line: status, title, and the detail that says what to fix. */
    private static String problem(int status, String path, HttpResponse<InputStream> response) {
        String detail = "";
        try (InputStream body = response.body()) {
            JsonNode problem = JSON.readTree(body.readNBytes(64 * 1024));
            if (problem.hasNonNull("detail")) {
                detail = ": " + problem.get("detail").asString();
            } else if (problem.hasNonNull("title")) {
                detail = ": " + problem.get("title").asString();
            }
        } catch (IOException | JacksonException e) {
            // not a problem document: the status says enough
        }
        String hint = status == 401 ? " Check STOWAGE_API_KEY." : status == 403 ? " This needs an ADMIN key." : "";
        return "The server answered " + status + " to " + path + detail + hint;
    }

    private static JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return JSON.readTree(body);
        } catch (IOException | JacksonException e) {
            throw new CliException("The server's answer is not JSON: " + e.getMessage(), ExitCodes.CANNOT);
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // nothing to read
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
