// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.EventStream;
import dev.stowage.testing.EventStream.Event;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.StowageClient.Answer;
import dev.stowage.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A job's progress stream read by a real HTTP client against the real database, with a session standing in for a
 * worker that updates the files' rows (the trigger of migration V7 notifies the gateway as for a worker's write):
 * the full state first, then each change in order, the final event and the close; resuming with Last-Event-ID;
 * 401 and 404 as everywhere in the API; many streams of one job served by one watcher.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobEventsIT {

    static final TestServices services = TestServices.isolated();
    static final Duration SOON = Duration.ofSeconds(10);

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

    @Autowired
    JobWatcher watcher;

    StowageClient api;
    URI base;

    @BeforeEach
    void client() {
        base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        api = new StowageClient(base, services.userKey);
    }

    @Test
    void theFullStateFirstThenEachChangeInOrderThenTheFinalEventAndTheClose() throws Exception {
        String jobId = upload(3);
        try (EventStream stream = open(jobId, services.userKey, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.header("Cache-Control")).contains("no-store");

            Event first = stream.next(SOON);
            assertThat(first.name()).isEqualTo("progress");
            JsonNode state = first.json();
            assertThat(state.get("full").asBoolean()).isTrue();
            assertThat(state.get("status").asString()).isEqualTo("QUEUED");
            assertThat(state.get("progress").get("queued").asInt()).isEqualTo(3);
            assertThat(state.get("files")).hasSize(3);
            assertThat(state.get("files").get(0).get("name").asString()).isEqualTo("f0.json");
            assertThat(state.get("files").get(0).has("error"))
                    .as("nulls are left out")
                    .isFalse();
            assertThat(first.id())
                    .isEqualTo(unquoted(api.get("/api/v1/jobs/" + jobId).header("ETag")));

            update(jobId, "status = 'PROCESSING', attempts = 1", "ordinal = 0");
            Event processing = stream.next(SOON);
            assertThat(processing.name()).isEqualTo("progress");
            assertThat(processing.id()).isNotEqualTo(first.id());
            assertThat(processing.json().get("full").asBoolean()).isFalse();
            assertThat(processing.json().get("status").asString()).isEqualTo("PROCESSING");
            assertThat(processing.json().get("progress").get("processing").asInt())
                    .isEqualTo(1);
            assertThat(names(processing)).containsExactly("f0.json");

            update(jobId, DONE, "ordinal = 0");
            Event done = stream.next(SOON);
            assertThat(done.json().get("progress").get("done").asInt()).isEqualTo(1);
            assertThat(done.json().get("progress").get("percent").asInt()).isEqualTo(33);
            JsonNode file = done.json().get("files").get(0);
            assertThat(file.get("status").asString()).isEqualTo("DONE");
            assertThat(file.get("records").asLong()).isEqualTo(1);
            assertThat(file.get("storage").asString()).isEqualTo("SQL");
            assertThat(file.get("table").asString()).isEqualTo("t");

            update(
                    jobId,
                    "status = 'FAILED', attempts = 1, error = 'InvalidJson: at line 1', finished_at = now()",
                    "ordinal = 1");
            update(jobId, DONE, "ordinal = 2");
            List<Event> rest = new ArrayList<>();
            while (rest.isEmpty() || !rest.get(rest.size() - 1).name().equals("end")) {
                rest.add(stream.next(SOON));
            }
            Event last = rest.get(rest.size() - 1);
            assertThat(last.json().get("status").asString()).isEqualTo("PARTIALLY_FAILED");
            assertThat(last.json().get("progress").get("percent").asInt()).isEqualTo(100);
            assertThat(last.json().get("finishedAt").isNull()).isFalse();
            assertThat(rest.stream().flatMap(event -> names(event).stream())).contains("f1.json", "f2.json");
            assertThat(stream.closesWithin(SOON))
                    .as("the stream closes after the final event")
                    .isTrue();
            assertThat(last.id())
                    .isEqualTo(unquoted(api.get("/api/v1/jobs/" + jobId).header("ETag")));
        }
    }

    @Test
    void resumingWithTheCurrentIdSendsNothingUntilTheNextChange() throws Exception {
        String jobId = upload(2);
        String id;
        try (EventStream stream = open(jobId, services.userKey, null)) {
            id = stream.next(SOON).id();
        }
        try (EventStream resumed = open(jobId, services.userKey, id)) {
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(resumed.during(Duration.ofMillis(1500)))
                    .as("nothing new")
                    .isEmpty();
            update(jobId, "status = 'PROCESSING', attempts = 1", "ordinal = 1");
            Event next = resumed.next(SOON);
            assertThat(next.json().get("full").asBoolean()).isFalse();
            assertThat(names(next)).containsExactly("f1.json");
        }

        // A stale id: the client cannot know what it missed, so it gets the whole state again.
        try (EventStream stale = open(jobId, services.userKey, id)) {
            Event first = stale.next(SOON);
            assertThat(first.json().get("full").asBoolean()).isTrue();
            assertThat(first.json().get("files")).hasSize(2);
        }

        // An ended job: its final event for a new client, 204 for one that has it already.
        update(jobId, DONE, "true");
        String finalId;
        try (EventStream ended = open(jobId, services.userKey, null)) {
            // a stream opened before this gateway heard of the change may start from the state before it
            Event last = ended.next(SOON);
            while (!last.name().equals("end")) {
                last = ended.next(SOON);
            }
            assertThat(last.json().get("status").asString()).isEqualTo("DONE");
            assertThat(ended.closesWithin(SOON)).isTrue();
            finalId = last.id();
        }
        try (EventStream again = open(jobId, services.userKey, finalId)) {
            assertThat(again.status()).isEqualTo(204);
        }
    }

    @Test
    void withoutAValidKeyItIs401AndAnotherTenantsJobIs404() {
        String jobId = upload(1);
        try (EventStream none = open(jobId, null, null)) {
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        }
        try (EventStream wrong = open(jobId, "not-a-key-of-anyone", null)) {
            assertThat(wrong.status()).isEqualTo(401);
        }
        // The job is being watched: a watch must not leak it to another tenant.
        try (EventStream own = open(jobId, services.userKey, null);
                EventStream other = open(jobId, services.otherTenantKey, null)) {
            assertThat(own.next(SOON).name()).isEqualTo("progress");
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.header("Content-Type")).startsWith("application/problem+json");
        }
        try (EventStream unknown = open(UUID.randomUUID().toString(), services.userKey, null)) {
            assertThat(unknown.status()).isEqualTo(404);
        }
        try (EventStream malformed = open("not-a-uuid", services.userKey, null)) {
            assertThat(malformed.status()).isEqualTo(400);
        }
    }

    @Test
    void manyStreamsOfAJobGetTheSameEventsAndABurstOfChangesFewEvents() throws Exception {
        String jobId = upload(20);
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                streams.add(open(jobId, services.userKey, null));
            }
            String firstId = null;
            for (EventStream stream : streams) {
                Event first = stream.next(SOON);
                firstId = firstId == null ? first.id() : firstId;
                assertThat(first.id()).isEqualTo(firstId);
            }
            assertThat(watcher.streams(UUID.fromString(jobId))).isEqualTo(20);

            // 20 statements within a few milliseconds: PostgreSQL notifies each, the watcher reads a few times.
            try (Connection db = services.database()) {
                for (int i = 0; i < 20; i++) {
                    db.createStatement()
                            .execute("update " + services.schema + ".files set status = 'DONE', attempts = 1,"
                                    + " records = 1, finished_at = now() where job_id = '" + jobId
                                    + "' and ordinal = " + i);
                }
            }
            List<List<Event>> received = new ArrayList<>();
            for (EventStream stream : streams) {
                List<Event> events = new ArrayList<>();
                while (events.isEmpty() || !events.get(events.size() - 1).name().equals("end")) {
                    events.add(stream.next(SOON));
                }
                received.add(events);
            }
            List<Event> one = received.get(0);
            assertThat(one.size()).as("a burst is coalesced").isLessThanOrEqualTo(5);
            assertThat(one.stream().flatMap(event -> names(event).stream()).distinct())
                    .hasSize(20);
            for (List<Event> events : received) {
                assertThat(events.get(events.size() - 1).id())
                        .isEqualTo(one.get(one.size() - 1).id());
                assertThat(events.get(events.size() - 1)
                                .json()
                                .get("progress")
                                .get("done")
                                .asInt())
                        .isEqualTo(20);
            }
        } finally {
            streams.forEach(EventStream::close);
        }
        await().atMost(SOON).until(() -> watcher.streams(UUID.fromString(jobId)) == 0);
    }

    @Test
    void withoutFilesAnEventIsTheJobsStatusAndCountsAlone() {
        String jobId = upload(2);
        try (EventStream counts =
                        EventStream.open(base.resolve("/api/v1/jobs/" + jobId + "/events"), services.userKey, null);
                EventStream detailed = open(jobId, services.userKey, null)) {
            Event first = counts.next(SOON);
            assertThat(first.json().get("files")).isEmpty();
            assertThat(first.json().get("progress").get("queued").asInt()).isEqualTo(2);
            assertThat(detailed.next(SOON).json().get("files")).hasSize(2);

            update(jobId, DONE, "ordinal = 0");
            Event next = counts.next(SOON);
            assertThat(next.json().get("files")).isEmpty();
            assertThat(next.json().get("progress").get("done").asInt()).isEqualTo(1);
            assertThat(names(detailed.next(SOON))).containsExactly("f0.json");
        }
    }

    @Test
    void aClientThatGoesAwayIsForgotten() {
        String jobId = upload(1);
        EventStream stream = open(jobId, services.userKey, null);
        stream.next(SOON);
        assertThat(watcher.streams(UUID.fromString(jobId))).isEqualTo(1);
        stream.close();
        // Noticed at the latest when the next write fails: a change, or the heartbeat.
        update(jobId, "status = 'PROCESSING', attempts = 1", "true");
        await().atMost(Duration.ofSeconds(40)).until(() -> watcher.streams(UUID.fromString(jobId)) == 0);
    }

    private static final String DONE =
            "status = 'DONE', attempts = 1, storage = 'SQL', table_name = 't', records = 1, finished_at = now()";

    private void update(String jobId, String set, String where) {
        try (Connection db = services.database()) {
            db.createStatement()
                    .execute("update " + services.schema + ".files set " + set + ", updated_at = now()"
                            + " where job_id = '" + jobId + "' and " + where);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EventStream open(String jobId, String key, String lastEventId) {
        return EventStream.open(base.resolve("/api/v1/jobs/" + jobId + "/events?files=true"), key, lastEventId);
    }

    private String upload(int files) {
        Multipart multipart = new Multipart();
        for (int i = 0; i < files; i++) {
            multipart.file(
                    "files", "f" + i + ".json", "application/json", "[{\"v\":1}]".getBytes(StandardCharsets.UTF_8));
        }
        Answer answer = api.upload(multipart);
        assertThat(answer.status()).isEqualTo(202);
        return answer.json().get("jobId").asString();
    }

    private static List<String> names(Event event) {
        List<String> names = new ArrayList<>();
        event.json().get("files").forEach(file -> names.add(file.get("name").asString()));
        return names;
    }

    private static String unquoted(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
