// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.Topology;
import dev.stowage.testing.Corpora;
import dev.stowage.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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

    GatewayStandIn gateway;

    @BeforeEach
    void standIn() {
        gateway = new GatewayStandIn(sql, rabbit, topology);
    }

    @Test
    void filesBreakingALimitFailAtOnceWhileTheirNeighbourIsStored() {
        String wide = IntStream.range(0, 101)
                .mapToObj(i -> "\"k%d\":%d".formatted(i, i))
                .collect(Collectors.joining(",", "[{", "}]"));
        UUID job = UUID.randomUUID();
        UUID tooManyKeys =
                gateway.insertFile(job, "wide.json", "application/json", null, wide.getBytes(StandardCharsets.UTF_8));
        UUID tooDeep = gateway.insertFile(
                job,
                "deep.json",
                "application/json",
                null,
                Corpora.bytes("jsontestsuite/n_structure_100000_opening_arrays.json"));
        UUID good = gateway.insertFile(
                job, "good.json", "application/json", null, "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8));
        List.of(tooManyKeys, tooDeep, good).forEach(file -> gateway.publish(job, file));

        assertThat(gateway.awaitEnded(good, Duration.ofSeconds(30)))
                .containsEntry("status", "DONE")
                .containsEntry("records", 2L);
        assertThat(gateway.awaitEnded(tooManyKeys, Duration.ofSeconds(30)))
                .containsEntry("status", "FAILED")
                .containsEntry("attempts", 1);
        assertThat(gateway.awaitEnded(tooDeep, Duration.ofSeconds(30)))
                .containsEntry("status", "FAILED")
                .containsEntry("attempts", 1);
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
        UUID second = null;
        for (String records : List.of("[{\"a\":1,\"b\":2}]", "[{\"c\":3,\"d\":4}]")) { // one after the other
            second = gateway.submit(
                    "capped.json", "application/json", "capped", records.getBytes(StandardCharsets.UTF_8));
            assertThat(gateway.awaitEnded(second, Duration.ofSeconds(30))).containsEntry("status", "DONE");
        }

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

    private String error(UUID file) {
        return sql.sql("select error from files where id = ?")
                .param(file)
                .query(String.class)
                .single();
    }
}
