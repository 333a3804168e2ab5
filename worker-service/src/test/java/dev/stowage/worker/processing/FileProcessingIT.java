// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.stowage.model.RetryProperties;
import dev.stowage.model.Topology;
import dev.stowage.model.TopologyProperties;
import dev.stowage.testing.Corpora;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker against the real broker and database: files are put in place as the gateway would (rows, bytes,
 * one message each) and the worker must store them, once, or fail them into the dead-letter queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FileProcessingIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
        // Short lock waits keep the lock-timeout scenarios quick; the retry delays stay the defaults (1, 2, 4 s).
        registry.add("stowage.worker.lock-timeout", () -> "500ms");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        services.cleanUp();
    }

    @Autowired
    JdbcClient sql;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    Topology topology;

    @Autowired
    SimpleMessageListenerContainer workConsumers;

    GatewayStandIn gateway;

    @BeforeEach
    void standIn() {
        gateway = new GatewayStandIn(sql, rabbit, topology);
    }

    @Test
    void recordCollectionBecomesATypedTableWithOneRowPerRecord() {
        UUID file = gateway.submit("cars.json", "application/json", null, Corpora.bytes("vega/cars.json"));

        Map<String, Object> row = awaitEnded(file);
        assertThat(row)
                .containsEntry("status", "DONE")
                .containsEntry("storage", "SQL")
                .containsEntry("records", 406L);
        assertThat(row.get("table_name")).isEqualTo(services.datasetsSchema + ".cars");
        assertThat(rowsOf("cars", file)).isEqualTo(406);
        assertThat(sql.sql("select report ->> 'decision' from files where id = ?")
                        .param(file)
                        .query(String.class)
                        .single())
                .isEqualTo("SQL");
        assertThat(sql.sql("select outcome from attempts where file_id = ?")
                        .param(file)
                        .query(String.class)
                        .list())
                .containsExactly("DONE");
    }

    @Test
    void documentBecomesJsonb() {
        UUID file =
                gateway.submit("earthquakes.json", "application/json", null, Corpora.bytes("vega/earthquakes.json"));

        assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("storage", "JSONB");
        assertThat(sql.sql("select doc -> 'type' ->> 0 from " + services.datasetsSchema
                                + "._documents where _file_id = ?")
                        .param(file)
                        .query(String.class)
                        .optional())
                .isPresent();
    }

    @Test
    void aRepeatedKeyStoresItsLastValue() {
        // Each record's first "a" is a string, which the bigint column cannot hold: kept, it would be in _extra.
        UUID file = gateway.submit(
                "repeated.json",
                "application/json",
                "repeated",
                utf8("[{\"a\":\"one\",\"x\":1,\"a\":1},{\"a\":\"two\",\"x\":2,\"a\":2},"
                        + "{\"a\":\"three\",\"x\":3,\"a\":3}]"));

        assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("storage", "SQL");
        assertThat(sql.sql("select a, _extra -> 'a' as first, _absent from " + services.datasetsSchema
                                + ".repeated where _file_id = ? order by _row")
                        .param(file)
                        .query((rs, n) -> rs.getLong("a") + "," + rs.getString("first") + "," + rs.getArray("_absent"))
                        .list())
                .containsExactly("1,null,null", "2,null,null", "3,null,null");
    }

    @Test
    void aRedeliveredFileIsStoredOnce() {
        byte[] lines = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n".getBytes(StandardCharsets.UTF_8);
        UUID job = UUID.randomUUID();
        UUID file = gateway.insertFile(job, "twice.ndjson", "application/x-ndjson", "twice", lines);
        gateway.publish(job, file);
        gateway.publish(job, file);

        assertThat(awaitEnded(file)).containsEntry("status", "DONE");
        await().atMost(Duration.ofSeconds(20)).until(() -> services.messageCount(topology.workQueue()) == 0);
        assertThat(rowsOf("twice", file)).isEqualTo(3);
    }

    @Test
    void invalidJsonFailsAtOnceIntoTheDeadLetterQueue() throws Exception {
        long deadBefore = services.messageCount(topology.deadLetterQueue());
        UUID file = gateway.submit(
                "broken.json", "application/json", null, Corpora.bytes("jsontestsuite/n_array_extra_comma.json"));

        Map<String, Object> row = awaitEnded(file);
        assertThat(row).containsEntry("status", "FAILED").containsEntry("attempts", 1);
        assertThat((String) row.get("error")).startsWith("InvalidJson: Invalid JSON at line 1, column");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.messageCount(topology.deadLetterQueue()) == deadBefore + 1);
        GetResponse dead = takeDeadLetter(file);
        assertThat(dead.getProps().getHeaders())
                .containsKey("x-death")
                .containsEntry(Topology.ATTEMPTS_HEADER, 1)
                .containsEntry(Topology.ERROR_CLASS_HEADER, LongStringHelper.asLongString("InvalidJson"));
    }

    @Test
    void smallFilesTakenTogetherAreStoredInOneTransactionALargeOneInItsOwn() {
        UUID job = UUID.randomUUID();
        List<UUID> records = smallFiles(job, "together", 6, "[{\"v\":%d},{\"v\":0}]");
        UUID doc = gateway.insertFile(job, "doc.json", "application/json", "together", utf8("{\"a\":[1,{\"b\":2}]}"));
        // Other columns of the same table (a COPY of their own), and a second document (sharing the first's COPY).
        UUID otherColumns = gateway.insertFile(
                job, "w.json", "application/json", "together", utf8("[{\"w\":\"a\"},{\"w\":\"b\"},{\"w\":\"c\"}]"));
        UUID doc2 = gateway.insertFile(job, "doc2.json", "application/json", "together", utf8("{\"c\":{\"d\":[3]}}"));
        List<UUID> files = new ArrayList<>(records);
        files.addAll(List.of(doc, otherColumns, doc2));
        // Over 64 KiB: claimed when its turn comes, and stored in a transaction of its own.
        UUID large =
                gateway.insertFile(job, "cars.json", "application/json", "together", Corpora.bytes("vega/cars.json"));
        List<UUID> batch = new ArrayList<>(files);
        batch.add(3, large);

        takenAsOneBatch(batch, () -> batch.forEach(file -> gateway.publish(job, file)));

        batch.forEach(file -> assertThat(awaitEnded(file)).containsEntry("status", "DONE"));
        // Every row a transaction writes carries its id (xmin): the small files' DONE updates were made by one.
        assertThat(sql.sql("select count(distinct xmin::text) from files where job_id = ? and id <> ?")
                        .params(job, large)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(sql.sql("select count(distinct xmin::text) from files where job_id = ?")
                        .param(job)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(rowsOf("together", large)).isEqualTo(406);
        records.forEach(file -> assertThat(rowsOf("together", file)).isEqualTo(2));
        assertThat(rowsOf("together", otherColumns)).isEqualTo(3);
        assertThat(sql.sql("select string_agg(doc::text, ' ' order by _file_id) from " + services.datasetsSchema
                                + "._documents where _file_id in (?, ?)")
                        .params(doc, doc2)
                        .query(String.class)
                        .single())
                .contains("{\"a\": [1, {\"b\": 2}]}")
                .contains("{\"c\": {\"d\": [3]}}");
        files.forEach(file ->
                assertThat(attempts(file)).extracting(a -> a.get("outcome")).containsExactly("DONE"));
    }

    @Test
    void aFileThatFailsInASharedTransactionFailsAloneAndItsNeighboursAreStoredOnce() {
        UUID job = UUID.randomUUID();
        List<UUID> good = smallFiles(job, "neighbours", 5, "[{\"v\":%d,\"s\":\"x\"}]");
        // Analysis accepts it; COPY cannot store its NUL, so the shared transaction fails midway.
        UUID bad = gateway.insertFile(
                job, "bad.json", "application/json", "neighbours", utf8("[{\"v\":9,\"s\":\"\\u0000\"}]"));
        List<UUID> all = new ArrayList<>(good.subList(0, 2));
        all.add(bad);
        all.addAll(good.subList(2, 5));

        takenAsOneBatch(all, () -> all.forEach(file -> gateway.publish(job, file)));

        Map<String, Object> failed = awaitEnded(bad);
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("attempts", 1);
        assertThat((String) failed.get("error")).startsWith("UnstorableValue:");
        assertThat(rowsOf("neighbours", bad)).isZero();
        for (UUID file : good) {
            assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("attempts", 1);
            assertThat(rowsOf("neighbours", file)).isEqualTo(1);
            assertThat(attempts(file)).extracting(a -> a.get("outcome")).containsExactly("DONE");
        }
    }

    @Test
    void anUnreadableMessageInABatchIsDeadLetteredAndTheOthersAreStored() throws Exception {
        UUID job = UUID.randomUUID();
        UUID first = gateway.insertFile(job, "a.json", "application/json", "mixed", utf8("[{\"v\":1}]"));
        UUID second = gateway.insertFile(job, "b.json", "application/json", "mixed", utf8("[{\"v\":2}]"));
        UUID unreadable = UUID.randomUUID(); // names the message in the dead-letter queue
        Message garbage = MessageBuilder.withBody(utf8("not a work message"))
                .setContentType("application/json")
                .setHeader(Topology.FILE_ID_HEADER, unreadable.toString())
                .build();

        takenAsOneBatch(List.of(first, unreadable, second), () -> {
            gateway.publish(job, first);
            rabbit.send(topology.workExchange(), Topology.WORK_ROUTING_KEY, garbage);
            gateway.publish(job, second);
        });

        assertThat(awaitEnded(first)).containsEntry("status", "DONE");
        assertThat(awaitEnded(second)).containsEntry("status", "DONE");
        await().atMost(Duration.ofSeconds(10)).until(() -> tryTakeDeadLetter(unreadable) != null);
    }

    @Test
    void aSmallFilesFirstTryRecordsItsAttemptWithItsOutcomeWhileARedeliveryClaimsFirst() throws Exception {
        UUID job = tableWithOneFile("first_try");
        UUID first = gateway.insertFile(job, "b.json", "application/json", "first_try", utf8("[{\"v\":2}]"));
        try (Connection locker = lockTable("first_try")) {
            gateway.publish(job, first);
            awaitWaitingOnTheTable("first_try");
            // storing, and nothing written yet: no PROCESSING, no open attempt
            assertThat(status(first)).isEqualTo("QUEUED");
            assertThat(attempts(first)).isEmpty();
            // the lock wait times out (500 ms here): the failed first try is claimed then, so its RETRY is recorded
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> attempts(first).stream().anyMatch(a -> "RETRY".equals(a.get("outcome"))));
            locker.rollback();
        }
        assertThat(awaitEnded(first)).containsEntry("status", "DONE").containsEntry("attempts", 2);
        assertThat(attempts(first)).extracting(a -> a.get("outcome")).containsExactly("RETRY", "DONE");

        // A redelivery (here: a message taken and given back unacknowledged) claims the file before storing it.
        UUID again = gateway.insertFile(job, "c.json", "application/json", "first_try", utf8("[{\"v\":3}]"));
        workConsumers.stop();
        try (var connection = services.broker();
                Channel channel = connection.createChannel()) {
            gateway.publish(job, again);
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.basicGet(topology.workQueue(), false) != null);
        } // closed unacknowledged: back in the queue, marked redelivered
        try (Connection locker = lockTable("first_try")) {
            workConsumers.start();
            awaitWaitingOnTheTable("first_try");
            assertThat(status(again)).isEqualTo("PROCESSING");
            assertThat(attempts(again))
                    .singleElement()
                    .satisfies(a -> assertThat(a.get("outcome")).isNull());
            locker.rollback();
        }
        assertThat(awaitEnded(again)).containsEntry("status", "DONE");
        assertThat(attempts(again)).extracting(a -> a.get("outcome")).last().isEqualTo("DONE");
        assertThat(rowsOf("first_try", again)).isEqualTo(1);
    }

    @Test
    void laterFilesWidenTheDatasetsTypesInsteadOfFailing() {
        UUID job = UUID.randomUUID();
        UUID ints = gateway.insertFile(job, "a.json", "application/json", "drift", utf8("[{\"v\":1},{\"v\":2}]"));
        gateway.publish(job, ints);
        assertThat(awaitEnded(ints)).containsEntry("status", "DONE");
        UUID floats = gateway.insertFile(job, "b.json", "application/json", "drift", utf8("[{\"v\":1.5,\"w\":true}]"));
        gateway.publish(job, floats);
        assertThat(awaitEnded(floats)).containsEntry("status", "DONE");
        UUID strings = gateway.insertFile(job, "c.json", "application/json", "drift", utf8("[{\"v\":\"x\"}]"));
        gateway.publish(job, strings);
        assertThat(awaitEnded(strings)).containsEntry("status", "DONE");

        assertThat(sql.sql(
                                "select string_agg(coalesce(v::text, _extra::text), ',' order by _file_id = ?, _file_id = ?, _row) from "
                                        + services.datasetsSchema + ".drift")
                        .param(strings)
                        .param(floats)
                        .query(String.class)
                        .single())
                .as("integers widened to numeric; the string kept in its row's _extra")
                .isEqualTo("1,2,1.5,{\"v\": \"x\"}");
    }

    @Test
    void aDatasetsTableIsMadeInATransactionOfItsOwnBeforeTheRowsAreStored() {
        // Made in the storing transaction, a new table stayed locked through the first file's whole COPY, and
        // every other file of the dataset waited, timed out and spent its retries. Committed first, it stays even
        // when that file then fails (here on its last record: PostgreSQL text cannot hold NUL).
        UUID failing = gateway.submit(
                "a.json",
                "application/json",
                "made_first",
                utf8("[{\"v\":1,\"s\":\"x\"},{\"v\":2,\"s\":\"\\u0000\"}]"));
        Map<String, Object> failed = awaitEnded(failing);
        assertThat(failed).containsEntry("status", "FAILED");
        assertThat((String) failed.get("error")).startsWith("UnstorableValue:");

        assertThat(sql.sql(
                                "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns"
                                        + " where table_schema = ? and table_name = 'made_first'")
                        .param(services.datasetsSchema)
                        .query(String.class)
                        .single())
                .isEqualTo("_file_id,_row,v,s,_extra,_absent");
        assertThat(rowsOf("made_first", failing)).isZero();

        UUID next = gateway.submit("b.json", "application/json", "made_first", utf8("[{\"v\":3,\"s\":\"y\"}]"));
        assertThat(awaitEnded(next)).containsEntry("status", "DONE");
        assertThat(rowsOf("made_first", next)).isEqualTo(1);
    }

    @Test
    void aTableDroppedByHandIsMadeAgainWithoutARetry() {
        UUID job = tableWithOneFile("dropped");
        UUID second = gateway.insertFile(job, "a2.json", "application/json", "dropped", utf8("[{\"v\":1}]"));
        gateway.publish(job, second);
        assertThat(awaitEnded(second)).as("the worker now knows the table").containsEntry("status", "DONE");
        sql.sql("drop table " + services.datasetsSchema + ".dropped").update();
        UUID next = gateway.insertFile(job, "b.json", "application/json", "dropped", utf8("[{\"v\":2}]"));
        gateway.publish(job, next);

        assertThat(awaitEnded(next)).containsEntry("status", "DONE");
        assertThat(attempts(next))
                .as("the worker's knowledge of the table was out of date: read afresh at once, not in a retry")
                .extracting(attempt -> attempt.get("outcome"))
                .containsExactly("DONE");
        assertThat(rowsOf("dropped", next)).isEqualTo(1);
    }

    @Test
    void aLockHeldBrieflyHealsOnTheNextTry() throws Exception {
        UUID job = tableWithOneFile("briefly");
        UUID file = gateway.insertFile(job, "b.json", "application/json", "briefly", utf8("[{\"v\":2},{\"v\":3}]"));
        try (Connection locker = lockTable("briefly")) {
            gateway.publish(job, file);
            await().atMost(Duration.ofSeconds(20)).until(() -> "RETRYING".equals(status(file)));
            assertThat(sql.sql("select next_attempt_at > now() from files where id = ?")
                            .param(file)
                            .query(Boolean.class)
                            .single())
                    .isTrue();
            locker.rollback();
        }

        assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("attempts", 2);
        List<Map<String, Object>> attempts = attempts(file);
        assertThat(attempts).extracting(a -> a.get("outcome")).containsExactly("RETRY", "DONE");
        assertThat((String) attempts.get(0).get("error")).startsWith("LockTimeout:");
        assertThat(gapsInSeconds(attempts))
                .singleElement()
                .satisfies(gap -> assertThat(gap).isBetween(0.9, 3.0));
        assertThat(rowsOf("briefly", file)).isEqualTo(2);
    }

    @Test
    void aLockHeldLongUsesEveryRetryThenDeadLettersAndAReplayFromTheQueueStoresOnce() throws Exception {
        UUID job = tableWithOneFile("held");
        UUID file = gateway.insertFile(job, "b.json", "application/json", "held", utf8("[{\"v\":2},{\"v\":3}]"));
        try (Connection locker = lockTable("held")) {
            gateway.publish(job, file);
            assertThat(gateway.awaitEnded(file, Duration.ofSeconds(40)))
                    .containsEntry("status", "FAILED")
                    .containsEntry("attempts", 4);
            locker.rollback();
        }
        List<Map<String, Object>> attempts = attempts(file);
        assertThat(attempts).extracting(a -> a.get("outcome")).containsExactly("RETRY", "RETRY", "RETRY", "FAILED");
        List<Double> gaps = gapsInSeconds(attempts);
        assertThat(gaps.get(0)).isBetween(0.9, 3.0);
        assertThat(gaps.get(1)).isBetween(1.9, 4.0);
        assertThat(gaps.get(2)).isBetween(3.9, 6.0);

        GetResponse dead = takeDeadLetter(file);
        assertThat(dead.getProps().getHeaders())
                .containsKey("x-death")
                .containsEntry(Topology.ATTEMPTS_HEADER, 4)
                .containsEntry(Topology.ERROR_CLASS_HEADER, LongStringHelper.asLongString("LockTimeout"));

        // What the management UI's "move messages" does: the message, headers and all, back to the work exchange.
        try (var connection = services.broker();
                Channel channel = connection.createChannel()) {
            channel.basicPublish(topology.workExchange(), Topology.WORK_ROUTING_KEY, dead.getProps(), dead.getBody());
        }
        assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("attempts", 5);
        assertThat(rowsOf("held", file)).isEqualTo(2);
    }

    @Test
    void aFileWhoseWorkersKeepDyingIsFailedOnceItsBudgetIsSpent() throws Exception {
        UUID job = UUID.randomUUID();
        UUID file = gateway.insertFile(job, "poison.json", "application/json", null, utf8("[{\"v\":1}]"));
        // What four workers killed mid-file (kill -9, OOM) leave behind: four attempts without an outcome.
        for (int attempt = 1; attempt <= 4; attempt++) {
            sql.sql("insert into attempts (file_id, attempt, worker) values (?, ?, 'killed-worker:1')")
                    .params(file, attempt)
                    .update();
        }
        sql.sql("update files set status = 'PROCESSING', attempts = 4 where id = ?")
                .param(file)
                .update();
        long deadBefore = services.messageCount(topology.deadLetterQueue());

        gateway.publish(job, file); // the broker redelivers the unacknowledged message once more

        Map<String, Object> row = awaitEnded(file);
        assertThat(row).containsEntry("status", "FAILED").containsEntry("attempts", 5);
        assertThat((String) row.get("error")).startsWith("LostAttempts:");
        assertThat(attempts(file))
                .extracting(a -> a.get("outcome"))
                .containsExactly("LOST", "LOST", "LOST", "LOST", "FAILED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.messageCount(topology.deadLetterQueue()) == deadBefore + 1);
        assertThat(sql.sql("select count(*) from " + services.datasetsSchema + "._documents where _file_id = ?")
                        .param(file)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void changedRetryDelaysDeclareNewTiersBesideTheRunningOnes() {
        RabbitAdmin admin = new RabbitAdmin(rabbit.getConnectionFactory());
        Topology changed = Topology.of(
                new TopologyProperties(services.prefix, 10), new RetryProperties(2, Duration.ofMillis(500), 3));
        changed.declarables().getDeclarables().forEach(declarable -> {
            if (declarable instanceof org.springframework.amqp.core.Queue queue) {
                admin.declareQueue(queue);
            } else if (declarable instanceof org.springframework.amqp.core.Exchange exchange) {
                admin.declareExchange(exchange);
            } else if (declarable instanceof org.springframework.amqp.core.Binding binding) {
                admin.declareBinding(binding);
            }
        });
        assertThat(admin.getQueueInfo(services.prefix + ".retry.500ms")).isNotNull();
        assertThat(admin.getQueueInfo(services.prefix + ".retry.1500ms")).isNotNull();
        assertThat(admin.getQueueInfo(services.prefix + ".retry.1000ms"))
                .as("the running tier stays")
                .isNotNull();
        for (String queue : List.of(".retry.500ms", ".retry.1500ms")) {
            admin.deleteQueue(services.prefix + queue);
        }
    }

    /** {@code count} files of {@code job} into {@code dataset}, each {@code json} formatted with its number. */
    private List<UUID> smallFiles(UUID job, String dataset, int count, String json) {
        List<UUID> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(gateway.insertFile(job, "f" + i + ".json", "application/json", dataset, utf8(json.formatted(i))));
        }
        return files;
    }

    /**
     * Publishes while the consumers are stopped, then lets one consumer take the waiting messages: it takes them
     * as one batch (up to the batch size).
     */
    private void takenAsOneBatch(List<UUID> files, Runnable publish) {
        workConsumers.stop();
        try {
            publish.run();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> services.messageCount(topology.workQueue()) == files.size());
            workConsumers.setConcurrentConsumers(1);
        } finally {
            workConsumers.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> services.messageCount(topology.workQueue()) == 0);
        workConsumers.setConcurrentConsumers(4);
    }

    private UUID tableWithOneFile(String dataset) {
        UUID job = UUID.randomUUID();
        UUID first = gateway.insertFile(job, "a.json", "application/json", dataset, utf8("[{\"v\":1}]"));
        gateway.publish(job, first);
        assertThat(awaitEnded(first)).containsEntry("status", "DONE");
        return job;
    }

    /** Another session holding an exclusive lock on the dataset's table until it rolls back or closes. */
    private static Connection lockTable(String dataset) throws Exception {
        Connection locker = services.database();
        locker.setAutoCommit(false);
        locker.createStatement()
                .execute("lock table " + services.datasetsSchema + "." + dataset + " in access exclusive mode");
        return locker;
    }

    /** Until a session (the worker's COPY) waits for the lock on the dataset's table. */
    private void awaitWaitingOnTheTable(String dataset) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() ->
                        sql.sql("select count(*) from pg_locks where not granted and relation = cast(? as regclass)")
                                        .param(services.datasetsSchema + "." + dataset)
                                        .query(Long.class)
                                        .single()
                                > 0);
    }

    private Map<String, Object> awaitEnded(UUID file) {
        return gateway.awaitEnded(file, Duration.ofSeconds(30));
    }

    private String status(UUID file) {
        return sql.sql("select status from files where id = ?")
                .param(file)
                .query(String.class)
                .single();
    }

    private List<Map<String, Object>> attempts(UUID file) {
        return sql.sql("select attempt, started_at, ended_at, outcome, error from attempts where file_id = ?"
                        + " order by attempt")
                .param(file)
                .query()
                .listOfRows();
    }

    /** Seconds from each attempt's end to the next one's start: the retry delays as they happened. */
    private static List<Double> gapsInSeconds(List<Map<String, Object>> attempts) {
        List<Double> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            Timestamp ended = (Timestamp) attempts.get(i - 1).get("ended_at");
            Timestamp started = (Timestamp) attempts.get(i).get("started_at");
            gaps.add((started.getTime() - ended.getTime()) / 1000.0);
        }
        return gaps;
    }

    /**
     * Takes this file's message out of the DLQ (others are put back), waiting for it: the file is FAILED in the
     * database a moment before its message has gone round the work queue's dead-letter exchange.
     */
    private GetResponse takeDeadLetter(UUID file) {
        GetResponse[] found = {null};
        await().atMost(Duration.ofSeconds(10)).until(() -> (found[0] = tryTakeDeadLetter(file)) != null);
        return found[0];
    }

    private GetResponse tryTakeDeadLetter(UUID file) throws Exception {
        try (var connection = services.broker();
                Channel channel = connection.createChannel()) {
            GetResponse found = null;
            long depth = channel.queueDeclarePassive(topology.deadLetterQueue()).getMessageCount();
            List<Long> others = new java.util.ArrayList<>();
            for (long i = 0; i < depth; i++) {
                GetResponse r = channel.basicGet(topology.deadLetterQueue(), false);
                Object id = r.getProps().getHeaders().get(Topology.FILE_ID_HEADER);
                if (found == null && id != null && id.toString().equals(file.toString())) {
                    found = r;
                    channel.basicAck(r.getEnvelope().getDeliveryTag(), false);
                } else {
                    others.add(r.getEnvelope().getDeliveryTag());
                }
            }
            for (long tag : others) {
                channel.basicNack(tag, false, true);
            }
            return found;
        }
    }

    private long rowsOf(String table, UUID file) {
        return sql.sql("select count(*) from " + services.datasetsSchema + "." + table + " where _file_id = ?")
                .param(file)
                .query(Long.class)
                .single();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
