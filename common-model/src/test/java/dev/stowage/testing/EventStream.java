// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client as a browser's would be, over a real HTTP/1.1 connection: events parsed as the HTML
 * standard says (id, event, data; comments skipped), collected as they arrive, and the end of the stream noticed.
 */
public final class EventStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Object CLOSED = new Object();

    /** One event: {@code name} is {@code message} unless the server named it. */
    public record Event(String id, String name, String data) {
        public JsonNode json() {
            return JSON.readTree(data);
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private volatile int comments;
    private boolean closed;

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a stream; returns once the answer's headers are in (with any status: see {@link #status}).
     *
     * @param key sent as {@code Authorization: Bearer <key>}; null sends none
     * @param lastEventId sent as {@code Last-Event-ID}; null sends none
     */
    public static EventStream open(URI uri, String key, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Comment lines (heartbeats) seen so far. */
    public int comments() {
        return comments;
    }

    /** The next event, waiting at most {@code within}; fails if none came or the stream closed first. */
    public Event next(Duration within) {
        Object next = poll(within);
        if (next == null) {
            throw new AssertionError("No event within " + within);
        }
        if (next == CLOSED) {
            throw new AssertionError("The stream closed instead of sending an event");
        }
        return (Event) next;
    }

    /** Every event that arrives within {@code window} (the stream may close meanwhile). */
    public List<Event> during(Duration window) {
        List<Event> events = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        while (!closed) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Object next = poll(Duration.ofNanos(left));
            if (next instanceof Event event) {
                events.add(event);
            }
        }
        return events;
    }

    /** Whether the server closed the stream within {@code within}, with no event before the close. */
    public boolean closesWithin(Duration within) {
        Object next = poll(within);
        if (next instanceof Event event) {
            throw new AssertionError("Expected the stream to close, got " + event);
        }
        return next == CLOSED;
    }

    private Object poll(Duration within) {
        if (closed) {
            return CLOSED;
        }
        try {
            Object next = received.poll(within.toNanos(), TimeUnit.NANOSECONDS);
            closed = next == CLOSED;
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        String id = "";
        String name = "";
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        received.add(new Event(id, name.isEmpty() ? "message" : name, data.toString()));
                    }
                    name = "";
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" ->
                            data = data == null
                                    ? new StringBuilder(value)
                                    : data.append('\n').append(value);
                        default -> {}
                    }
                }
            }
        } catch (RuntimeException e) {
            // the connection was closed (by close(), or it broke): the stream has ended either way
        } finally {
            received.add(CLOSED);
        }
    }

    /** Drops the connection, as a client that goes away. */
    @Override
    public void close() {
        response.body().close();
    }
}
