package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import dev.stowage.testing.Corpora;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
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

    @Test
    void recordCollectionBecomesATypedTableWithOneRowPerRecord() {
        UUID file = submit("cars.json", "application/json", null, Corpora.bytes("vega/cars.json"));

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
        UUID file = submit("earthquakes.json", "application/json", null, Corpora.bytes("vega/earthquakes.json"));

        assertThat(awaitEnded(file)).containsEntry("status", "DONE").containsEntry("storage", "JSONB");
        assertThat(sql.sql("select doc -> 'type' ->> 0 from " + services.datasetsSchema
                                + "._documents where _file_id = ?")
                        .param(file)
                        .query(String.class)
                        .optional())
                .isPresent();
    }

    @Test
    void aRedeliveredFileIsStoredOnce() {
        byte[] lines = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n".getBytes(StandardCharsets.UTF_8);
        UUID job = UUID.randomUUID();
        UUID file = insertFile(job, "twice.ndjson", "application/x-ndjson", "twice", lines);
        publish(job, file);
        publish(job, file);

        assertThat(awaitEnded(file)).containsEntry("status", "DONE");
        await().atMost(Duration.ofSeconds(20)).until(() -> services.messageCount(topology.workQueue()) == 0);
        assertThat(rowsOf("twice", file)).isEqualTo(3);
    }

    @Test
    void invalidJsonFailsAtOnceIntoTheDeadLetterQueue() throws Exception {
        long deadBefore = services.messageCount(topology.deadLetterQueue());
        UUID file = submit(
                "broken.json", "application/json", null, Corpora.bytes("jsontestsuite/n_array_extra_comma.json"));

        Map<String, Object> row = awaitEnded(file);
        assertThat(row).containsEntry("status", "FAILED").containsEntry("attempts", 1);
        assertThat((String) row.get("error")).contains("Invalid JSON at line 1, column");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.messageCount(topology.deadLetterQueue()) == deadBefore + 1);
    }

    @Test
    void laterFilesWidenTheDatasetsTypesInsteadOfFailing() {
        UUID job = UUID.randomUUID();
        UUID ints = insertFile(job, "a.json", "application/json", "drift", utf8("[{\"v\":1},{\"v\":2}]"));
        publish(job, ints);
        assertThat(awaitEnded(ints)).containsEntry("status", "DONE");
        UUID floats = insertFile(job, "b.json", "application/json", "drift", utf8("[{\"v\":1.5,\"w\":true}]"));
        publish(job, floats);
        assertThat(awaitEnded(floats)).containsEntry("status", "DONE");
        UUID strings = insertFile(job, "c.json", "application/json", "drift", utf8("[{\"v\":\"x\"}]"));
        publish(job, strings);
        assertThat(awaitEnded(strings)).containsEntry("status", "DONE");

        assertThat(sql.sql("select string_agg(v::text, ',' order by _file_id = ?, _file_id = ?, _row) from "
                                + services.datasetsSchema + ".drift")
                        .param(strings)
                        .param(floats)
                        .query(String.class)
                        .single())
                .isEqualTo("1,2,1.5,\"x\"");
    }

    private UUID submit(String name, String contentType, String dataset, byte[] bytes) {
        UUID job = UUID.randomUUID();
        UUID file = insertFile(job, name, contentType, dataset, bytes);
        publish(job, file);
        return file;
    }

    private UUID insertFile(UUID job, String name, String contentType, String dataset, byte[] bytes) {
        sql.sql("insert into jobs (id, tenant, dataset, total) values (?, 'default', ?, 1) on conflict do nothing")
                .params(job, dataset)
                .update();
        UUID file = UUID.randomUUID();
        int ordinal = sql.sql("select count(*) from files where job_id = ?")
                .param(job)
                .query(Integer.class)
                .single();
        sql.sql("insert into files (id, job_id, ordinal, name, content_type, size_bytes) values (?, ?, ?, ?, ?, ?)")
                .params(file, job, ordinal, name, contentType, bytes.length)
                .update();
        sql.sql("insert into file_contents (file_id, bytes) values (?, ?)")
                .params(file, bytes)
                .update();
        return file;
    }

    private void publish(UUID job, UUID file) {
        rabbit.convertAndSend(topology.workExchange(), Topology.WORK_ROUTING_KEY, new FileMessage(job, file));
    }

    private Map<String, Object> awaitEnded(UUID file) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sql.sql("select status from files where id = ?")
                        .param(file)
                        .query(String.class)
                        .single()
                        .matches("DONE|FAILED"));
        return sql.sql("select status, storage, records, table_name, attempts, error from files where id = ?")
                .param(file)
                .query()
                .singleRow();
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
