// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {

    @TempDir
    Path dir;

    @Test
    void theBodyHoldsEachFileAsAPartNamedFilesAndTheDatasetField() throws Exception {
        Path a = Files.writeString(dir.resolve("a.json"), "[{\"a\":1}]");
        Path b = Files.writeString(dir.resolve("b \"q\".ndjson"), "{\"b\":2}\n");
        Multipart multipart = new Multipart(List.of(a, b), "sales");
        String boundary = multipart.contentType().substring("multipart/form-data; boundary=".length());

        String body;
        try (InputStream stream = multipart.stream()) {
            body = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(body)
                .isEqualTo("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"files\"; filename=\"a.json\"\r\n"
                        + "Content-Type: application/json\r\n\r\n"
                        + "[{\"a\":1}]\r\n"
                        + "--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"files\"; filename=\"b %22q%22.ndjson\"\r\n"
                        + "Content-Type: application/x-ndjson\r\n\r\n"
                        + "{\"b\":2}\n\r\n"
                        + "--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"dataset\"\r\n\r\n"
                        + "sales\r\n"
                        + "--" + boundary + "--\r\n");
        // a second read gives the same body (the HTTP client may send it again)
        try (InputStream again = multipart.stream()) {
            assertThat(new String(again.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
    }

    @Test
    void aFileIsOpenedOnlyWhenTheBodyReachesIt() throws Exception {
        Path first = Files.writeString(dir.resolve("first.json"), "[1]");
        Path later = dir.resolve("later.json");
        try (InputStream stream = new Multipart(List.of(first, later), null).stream()) {
            byte[] start = stream.readNBytes(10);
            assertThat(start).hasSize(10);
            Files.writeString(later, "[2]"); // made after the body was started
            assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("[2]");
        }
    }
}
