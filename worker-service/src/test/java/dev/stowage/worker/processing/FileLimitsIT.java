package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.model.ContentChunks;
import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import dev.stowage.testing.Corpora;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with configured limits, against the real broker and database: files that break a limit fail after
 * one attempt, naming the limit, while a good file of the same job is stored; and a dataset's table stops growing
 * at the column limit, however many files bring new keys.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext // its limit differs from the other tests' workers: do not leave it consuming after this class
class FileLimitsIT {

    static final TestServices services = TestServices.isolated();

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) {
        services.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("stowage.analyzer.max-keys-per-object", () -> "100");
        registry.add("stowage.analyzer.max-columns", () -> "3");
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
    void filesBreakingALimitFailAtOnceWhileTheirNeighbourIsStored() {
        String wide = IntStream.range(0, 101)
                .mapToObj(i -> "\"k%d\":%d".formatted(i, i))
                .collect(Collectors.joining(",", "[{", "}]"));
        UUID job = UUID.randomUUID();
        sql.sql("insert into jobs (id, tenant, dataset, total) values (?, 'default', null, 3)")
                .param(job)
                .update();
        UUID tooManyKeys = insertFile(job, 0, "wide.json", wide.getBytes(StandardCharsets.UTF_8));
        UUID tooDeep =
                insertFile(job, 1, "deep.json", Corpora.bytes("jsontestsuite/n_structure_100000_opening_arrays.json"));
        UUID good = insertFile(job, 2, "good.json", "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8));
        List.of(tooManyKeys, tooDeep, good).forEach(file -> publish(job, file));

        assertThat(awaitEnded(good)).containsEntry("status", "DONE").containsEntry("records", 2L);
        assertThat(awaitEnded(tooManyKeys)).containsEntry("status", "FAILED").containsEntry("attempts", 1);
        assertThat(awaitEnded(tooDeep)).containsEntry("status", "FAILED").containsEntry("attempts", 1);
        assertThat(error(tooManyKeys))
                .isEqualTo("LimitExceeded: Limit exceeded at line 1, column 883 (byte 882): an object has more"
                        + " than 100 keys (limit stowage.analyzer.max-keys-per-object,"
                        + " env STOWAGE_ANALYZER_MAX_KEYS_PER_OBJECT)");
        assertThat(error(tooDeep))
                .isEqualTo("LimitExceeded: Limit exceeded at line 1, column 501 (byte 500): nesting is deeper"
                        + " than 500 levels (limit stowage.analyzer.max-nesting-depth,"
                        + " env STOWAGE_ANALYZER_MAX_NESTING_DEPTH)");
        for (UUID failed : List.of(tooManyKeys, tooDeep)) {
            assertThat(sql.sql("select outcome from attempts where file_id = ?")
                            .param(failed)
                            .query(String.class)
                            .list())
                    .containsExactly("FAILED");
        }
    }

    @Test
    void aTableStopsGrowingAtTheColumnLimitAndKeepsTheRestInExtra() {
        UUID job = UUID.randomUUID();
        sql.sql("insert into jobs (id, tenant, dataset, total) values (?, 'default', 'capped', 2)")
                .param(job)
                .update();
        UUID first = insertFile(job, 0, "first.json", "[{\"a\":1,\"b\":2}]".getBytes(StandardCharsets.UTF_8));
        publish(job, first);
        assertThat(awaitEnded(first)).containsEntry("status", "DONE");
        UUID second = insertFile(job, 1, "second.json", "[{\"c\":3,\"d\":4}]".getBytes(StandardCharsets.UTF_8));
        publish(job, second);
        assertThat(awaitEnded(second)).containsEntry("status", "DONE");

        assertThat(sql.sql("select column_name from information_schema.columns where table_schema = ?"
                                + " and table_name = 'capped' and column_name not like '\\_%' order by 1")
                        .param(services.datasetsSchema)
                        .query(String.class)
                        .list())
                .containsExactly("a", "b", "c");
        assertThat(sql.sql("select _extra::text from " + services.datasetsSchema + ".capped where _file_id = ?")
                        .param(second)
                        .query(String.class)
                        .single())
                .isEqualTo("{\"d\": 4}");
    }

    private UUID insertFile(UUID job, int ordinal, String name, byte[] bytes) {
        UUID file = UUID.randomUUID();
        sql.sql("insert into files (id, job_id, ordinal, name, content_type, size_bytes) values (?, ?, ?, ?, ?, ?)")
                .params(file, job, ordinal, name, "application/json", bytes.length)
                .update();
        for (int chunk = 0; chunk < ContentChunks.count(bytes.length); chunk++) { // as the gateway stores them
            int from = chunk * ContentChunks.SIZE;
            sql.sql(ContentChunks.INSERT)
                    .params(
                            file,
                            chunk,
                            Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + ContentChunks.SIZE)))
                    .update();
        }
        return file;
    }

    private void publish(UUID job, UUID file) {
        rabbit.convertAndSend(topology.workExchange(), Topology.WORK_ROUTING_KEY, new FileMessage(job, file), m -> {
            m.getMessageProperties().setHeader(Topology.JOB_ID_HEADER, job.toString());
            m.getMessageProperties().setHeader(Topology.FILE_ID_HEADER, file.toString());
            return m;
        });
    }

    private Map<String, Object> awaitEnded(UUID file) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sql.sql("select status from files where id = ?")
                        .param(file)
                        .query(String.class)
                        .single()
                        .matches("DONE|FAILED"));
        return sql.sql("select status, records, attempts from files where id = ?")
                .param(file)
                .query()
                .singleRow();
    }

    private String error(UUID file) {
        return sql.sql("select error from files where id = ?")
                .param(file)
                .query(String.class)
                .single();
    }
}
