// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Uploading a job and waiting for it to end, as a client would. */
final class Jobs {

    private Jobs() {}

    /** @return the id of the accepted job */
    static String upload(StowageClient client, Multipart multipart) {
        StowageClient.Answer answer = client.upload(multipart);
        assertThat(answer.status()).as(new String(answer.bytes())).isEqualTo(202);
        return answer.json().get("jobId").asString();
    }

    static JsonNode awaitEnded(StowageClient client, String jobId) {
        return awaitEnded(client, jobId, Duration.ofSeconds(60));
    }

    /** @return the job once every file has ended */
    static JsonNode awaitEnded(StowageClient client, String jobId, Duration atMost) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            job[0] = client.get("/api/v1/jobs/" + jobId).json();
            return !job[0].get("finishedAt").isNull();
        });
        return job[0];
    }
}
