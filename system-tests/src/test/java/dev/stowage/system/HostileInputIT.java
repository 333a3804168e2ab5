// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generated attacks against the running jars with their default limits: each gets its defined outcome, and the
 * service keeps serving everyone else meanwhile.
 */
class HostileInputIT {

    private static final long MB = 1024 * 1024;

    static TestServices services;
    static StowageClient api;
    static URI base;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        api = stack.api;
        base = stack.processes.get(0).base();
    }

    @Test
    void aThousandFilesInOneRequestAreAcceptedAndAllStored() {
        Multipart upload = new Multipart().field("dataset", "thousand");
        for (int i = 0; i < 1000; i++) {
            upload.file("files", "f" + i + ".json", "application/json", utf8("[{\"file\":" + i + ",\"ok\":true}]"));
        }
        StowageClient.Answer answer = api.upload(upload);
        assertThat(answer.status()).isEqualTo(202);
        JsonNode job = Jobs.awaitEnded(api, answer.json().get("jobId").asString(), Duration.ofMinutes(3));
        assertThat(job.get("status").asString()).isEqualTo("DONE");
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(1000);

        Multipart tooMany = new Multipart();
        for (int i = 0; i < 1001; i++) {
            tooMany.file("files", "f" + i + ".json", "application/json", utf8("{}"));
        }
        StowageClient.Answer refused = api.upload(tooMany);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("detail").asString())
                .contains("at most 1000 files")
                .contains("STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST");
    }

    @Test
    void a200MegabyteFileIsRefusedWhileOthersAreServed() throws Exception {
        byte[] head = utf8("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n[");
        byte[] tail = utf8("1]\r\n--b--\r\n");
        long size = 200 * MB;
        CompletableFuture<StowageClient.Answer> huge =
                CompletableFuture.supplyAsync(() -> api.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> stream(head, repeated(utf8("1,"), size), tail)))));

        // Meanwhile an ordinary upload is accepted and stored.
        JsonNode small = Jobs.awaitEnded(
                api,
                api.post("/api/v1/jobs?name=small.json", "application/json", utf8("[{\"a\":1}]"))
                        .json()
                        .get("jobId")
                        .asString(),
                Duration.ofSeconds(60));
        assertThat(small.get("status").asString()).isEqualTo("DONE");

        StowageClient.Answer refused = huge.get();
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("detail").asString()).contains("100MB").contains("STOWAGE_UPLOAD_MAX_FILE_SIZE");

        // A body that says it is too large is refused before it is read.
        StowageClient.Answer declared = api.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs?name=big.json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> repeated(utf8(" "), 200 * MB)), 200 * MB)));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(services.count(
                        "select count(*) from " + services.schema + ".files where name in ('huge.json', 'big.json')"))
                .isZero();
    }

    @Test
    void hugeObjectsStringsAndInjectionKeysEachGetTheirOutcomeAndSpareTheirNeighbours() {
        ObjectNode manyKeys = JsonMapper.shared().createObjectNode();
        for (int i = 0; i < 10_000; i++) {
            manyKeys.put("key_" + i, i);
        }
        byte[] longString = new byte[(int) (50 * MB) + 12];
        Arrays.fill(longString, (byte) 'x');
        System.arraycopy(utf8("{\"blob\":\""), 0, longString, 0, 9);
        System.arraycopy(utf8("\"}"), 0, longString, longString.length - 2, 2);
        String injection = "[{\"a\\\"; drop table jobs; --\": 1, \"Robert'); DROP TABLE files;--\": \"x\","
                + " \"\\\" or 1=1 --\": true, \"select * from pg_shadow\": null}]";
        Multipart upload = new Multipart()
                .file("files", "many-keys.json", "application/json", utf8(manyKeys.toString()))
                .file("files", "long-string.json", "application/json", longString)
                .file("files", "injection.json", "application/json", utf8(injection))
                .file("files", "neighbour.json", "application/json", utf8("[{\"fine\":1},{\"fine\":2}]"));
        StowageClient.Answer answer = api.upload(upload);
        assertThat(answer.status()).isEqualTo(202);
        JsonNode job = Jobs.awaitEnded(api, answer.json().get("jobId").asString(), Duration.ofMinutes(2));
        assertThat(job.get("status").asString()).isEqualTo("PARTIALLY_FAILED");
        JsonNode files = job.get("files");

        assertThat(files.get(0).get("status").asString()).isEqualTo("DONE");
        assertThat(api.get("/api/v1/files/" + files.get(0).get("fileId").asString() + "/data")
                        .json())
                .isEqualTo(manyKeys);

        JsonNode longFile = api.get(
                        "/api/v1/files/" + files.get(1).get("fileId").asString())
                .json();
        assertThat(longFile.get("status").asString()).isEqualTo("FAILED");
        assertThat(longFile.get("attempts")).hasSize(1);
        assertThat(longFile.get("attempts").get(0).get("error").asString())
                .contains("line 1")
                .containsIgnoringCase("string");

        assertThat(files.get(2).get("status").asString()).isEqualTo("DONE");
        assertThat(api.get("/api/v1/files/" + files.get(2).get("fileId").asString() + "/data")
                        .json())
                .isEqualTo(JsonMapper.shared().readTree(injection));
        assertThat(files.get(3).get("status").asString()).isEqualTo("DONE");
        assertThat(api.get("/api/v1/jobs?size=1").status())
                .as("the jobs table is still there")
                .isEqualTo(200);
    }

    /** {@code unit} repeated until {@code size} bytes, generated as it is read: never held in memory. */
    private static InputStream repeated(byte[] unit, long size) {
        return new InputStream() {
            long position;

            @Override
            public int read() {
                return position < size ? unit[(int) (position++ % unit.length)] : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(length, size - position);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = unit[(int) (position++ % unit.length)];
                }
                return n;
            }
        };
    }

    private static InputStream stream(byte[] head, InputStream body, byte[] tail) {
        return new SequenceInputStream(
                Collections.enumeration(List.of(new ByteArrayInputStream(head), body, new ByteArrayInputStream(tail))));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
